<?xml version="1.0" encoding="UTF-8"?>
<!--
  Print edition: the whole book as one HTML document for CSS paged media
  (WeasyPrint). Imports the shared core, so notes, names and editorial signs
  are rendered as in the HTML edition; overrides only what print does
  differently: footnotes float to the foot of the page, names are not links,
  cross-references become page numbers.

  Input: <book> holding the TEI files (front matter, documents in reading
  order, registers, bibliography), as the PDF builder assembles it.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:edition:xslt-functions"
    xmlns:m="urn:edition:xslt-modes"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/core.xsl"/>
  <xsl:import href="../common/header.xsl"/>
  <xsl:import href="../common/parallel.xsl"/>

  <xsl:output method="html" version="5.0" encoding="UTF-8" include-content-type="no" indent="no"/>

  <xsl:param name="edition-title" as="xs:string" select="'Edition'"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>
  <xsl:param name="language" as="xs:string" select="'en'"/>
  <xsl:param name="page-size" as="xs:string" select="'A4'"/>
  <!-- The id of one document, to print it alone (a chunk of the book, the PDF per document). -->
  <xsl:param name="only" as="xs:string" select="''"/>
  <!-- Which part of the book to print when not one document: 'book' (all of it), 'front' (title
       page, contents, introduction; the documents, registers and bibliography need only their
       headers) or 'back' (the registers and the bibliography). The PDF builder prints the book in
       parts so that no process holds the whole edition. -->
  <xsl:param name="part" as="xs:string" select="'book'"/>

  <xsl:variable name="front" select="/*:book/*:front/TEI"/>
  <xsl:variable name="documents" select="/*:book/*:document/TEI"/>
  <xsl:variable name="registers" select="/*:book/*:register/TEI"/>
  <xsl:variable name="bibliography" select="/*:book/*:bibliography/TEI"/>

  <xsl:template match="/">
    <html lang="{$language}">
      <head>
        <meta charset="utf-8"/>
        <title><xsl:value-of select="$edition-title"/></title>
        <meta name="author" content="{$editors}"/>
        <meta name="generator" content="edition"/>
        <link rel="stylesheet" href="book.css"/>
        <style>@page { size: <xsl:value-of select="replace($page-size, '[^A-Za-z0-9. ]', '')"/>; }</style>
      </head>
      <body>
        <xsl:choose>
          <xsl:when test="$only != ''">
            <xsl:apply-templates select="$documents[@xml:id = $only]" mode="m:document"/>
          </xsl:when>
          <xsl:when test="$part = 'front'"><xsl:call-template name="m:front-matter"/></xsl:when>
          <xsl:when test="$part = 'back'"><xsl:call-template name="m:back-matter"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="m:front-matter"/>
            <xsl:apply-templates select="$documents" mode="m:document"/>
            <xsl:call-template name="m:back-matter"/>
          </xsl:otherwise>
        </xsl:choose>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="m:front-matter">
        <section class="title-page">
          <xsl:apply-templates select="$front/text/front/titlePage" mode="m:title-page"/>
          <xsl:if test="not($front/text/front/titlePage)"><h1 class="book-title"><xsl:value-of select="$edition-title"/></h1></xsl:if>
        </section>
        <nav class="toc" aria-label="Contents">
          <h1 class="toc-title">Contents</h1>
          <ol>
            <xsl:for-each select="$front/text/(front | body | back)/div[head]">
              <li><a href="#{f:part-id(.)}"><xsl:value-of select="f:plain(head[1])"/></a></li>
            </xsl:for-each>
            <xsl:for-each select="$documents">
              <li><a href="#{@xml:id}"><xsl:value-of select="f:doc-title(.)"/></a></li>
            </xsl:for-each>
            <xsl:for-each select="$registers">
              <li><a href="#{@xml:id}"><xsl:value-of select="f:plain(teiHeader/fileDesc/titleStmt/title[1])"/></a></li>
            </xsl:for-each>
            <xsl:for-each select="$bibliography">
              <li><a href="#{@xml:id}"><xsl:value-of select="f:plain(teiHeader/fileDesc/titleStmt/title[1])"/></a></li>
            </xsl:for-each>
          </ol>
        </nav>
        <xsl:for-each select="$front/text/(front | body | back)/div[head]">
          <section class="part front-part" id="{f:part-id(.)}">
            <h1><xsl:apply-templates select="head[1]/node()" mode="m:text"/></h1>
            <xsl:apply-templates select="node() except head[1]" mode="m:text"/>
          </section>
        </xsl:for-each>
  </xsl:template>

  <xsl:template name="m:back-matter">
        <xsl:for-each select="$registers">
          <section class="register" id="{@xml:id}">
            <h1><xsl:value-of select="f:plain(teiHeader/fileDesc/titleStmt/title[1])"/></h1>
            <xsl:apply-templates select=".//(person | place | org | personGrp)" mode="m:register-entry"/>
          </section>
        </xsl:for-each>
        <xsl:for-each select="$bibliography">
          <section class="bibliography" id="{@xml:id}">
            <h1><xsl:value-of select="f:plain(teiHeader/fileDesc/titleStmt/title[1])"/></h1>
            <xsl:for-each select=".//listBibl/*">
              <p class="bibl" id="{@xml:id}"><xsl:apply-templates mode="m:text"/></p>
            </xsl:for-each>
          </section>
        </xsl:for-each>
  </xsl:template>

  <xsl:template match="TEI" mode="m:document">
          <section class="document" id="{@xml:id}" lang="{@xml:lang}">
            <xsl:call-template name="m:doc-header">
              <xsl:with-param name="header" select="teiHeader"/>
            </xsl:call-template>
            <xsl:variable name="source" select="f:translated-from(.)"/>
            <xsl:choose>
              <xsl:when test="exists($source)">
                <div class="parallel">
                  <xsl:call-template name="m:parallel-rows">
                    <xsl:with-param name="translation" select="."/>
                    <xsl:with-param name="source" select="$source"/>
                    <xsl:with-param name="copy" select="true()"/>
                  </xsl:call-template>
                </div>
              </xsl:when>
              <xsl:otherwise><xsl:apply-templates select="text" mode="m:text"/></xsl:otherwise>
            </xsl:choose>
          </section>
  </xsl:template>

  <xsl:function name="f:part-id" as="xs:string">
    <xsl:param name="div" as="element(div)"/>
    <xsl:sequence select="($div/@xml:id, 'part-' || generate-id($div))[1]"/>
  </xsl:function>

  <!-- In the book every target is a place in the book, not a page of the site: a pointer into an
       edition file leads to its anchor ("persons.xml#x" to the entry #x), a pointer to a whole
       file to the document's opening (its xml:id is the file's name). Web addresses stay. -->
  <xsl:function name="f:href" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="site" select="f:site-href($pointer)"/>
    <xsl:sequence select="
      if (starts-with($site, '#') or matches($site, '^https?://')) then $site
      else if (contains($site, '#')) then '#' || substring-after($site, '#')
      else if ($site != '') then '#' || replace($site, '\.html$', '')
      else ''"/>
  </xsl:function>

  <xsl:function name="f:register-href" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="'#' || $id"/>
  </xsl:function>

  <!-- The document of the book that a translation's paragraphs point into with @corresp. -->
  <xsl:function name="f:translated-from" as="element(TEI)?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="file" select="substring-before(($tei/text//p/@corresp)[1], '#')"/>
    <xsl:sequence select="($documents[$file != ''][@xml:id = replace($file, '\.xml$', '')] except $tei)[1]"/>
  </xsl:function>

  <!-- A name's anchor, unique in the book even when its documents are printed apart. -->
  <xsl:function name="f:occurrence-id" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:sequence select="'occ-' || $name/ancestor::TEI[1]/@xml:id || '-' || generate-id($name)"/>
  </xsl:function>

  <xsl:function name="f:doc-title" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="f:plain(($tei/teiHeader/fileDesc/titleStmt/title[@type = 'main'],
                                   $tei/teiHeader/fileDesc/titleStmt/title)[1])"/>
  </xsl:function>

  <!-- Footnotes float to the foot of the page, numbered as in the source (WeasyPrint: float: footnote). -->
  <xsl:template match="note[@place = 'foot']" mode="m:text">
    <span class="footnote" id="{@xml:id}" data-n="{@n}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- Names are not links in print; each is an anchor the register's page references count
       (the PDF builder lays the book out once, reads where the anchors fell, and fills them in). -->
  <xsl:template match="persName | placeName | orgName | rs[@ref] | settlement | country | region | geogName | repository"
                mode="m:text">
    <xsl:param name="m:copy" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="entry" select="f:register-id(@ref)"/>
    <span class="name">
      <xsl:choose>
        <xsl:when test="exists($entry) and exists(ancestor::TEI intersect $documents) and not($m:copy)">
          <xsl:attribute name="id" select="f:occurrence-id(.)"/>
          <xsl:attribute name="data-entry" select="$entry"/>
        </xsl:when>
        <xsl:otherwise><xsl:call-template name="m:id"/></xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="m:lang"/>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- A speaker turn counts as an occurrence of its speaker too. -->
  <xsl:template match="speaker[exists(f:register-id(../@who))]" mode="m:text" priority="2">
    <xsl:param name="m:copy" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:if test="not($m:copy)">
      <span class="occurrence" id="{f:occurrence-id(.)}" data-entry="{f:register-id(../@who)}"></span>
    </xsl:if>
    <xsl:next-match/>
  </xsl:template>

  <xsl:template match="titlePage" mode="m:title-page">
    <xsl:for-each select="docTitle/titlePart">
      <xsl:element name="{if (@type = 'sub') then 'p' else 'h1'}" namespace="http://www.w3.org/1999/xhtml">
        <xsl:attribute name="class" select="'title-part ' || f:token(@type)"/>
        <xsl:apply-templates mode="m:text"/>
      </xsl:element>
    </xsl:for-each>
    <xsl:apply-templates select="* except docTitle" mode="m:text"/>
  </xsl:template>

  <xsl:template match="person | place | org | personGrp" mode="m:register-entry">
    <div class="entry" id="{@xml:id}">
      <p class="entry-head"><strong><xsl:apply-templates select="(persName | placeName | orgName)[1]" mode="m:text"/></strong>
        <xsl:if test="birth/@when or death/@when">
          <xsl:text> (</xsl:text><xsl:value-of select="substring(birth/@when, 1, 4)"/>–<xsl:value-of select="substring(death/@when, 1, 4)"/><xsl:text>)</xsl:text>
        </xsl:if>
      </p>
      <xsl:for-each select="occupation | desc | note">
        <p class="entry-note"><xsl:apply-templates mode="m:text"/></p>
      </xsl:for-each>
      <p class="pagerefs" data-entry="{@xml:id}"></p>
    </div>
  </xsl:template>
</xsl:stylesheet>
