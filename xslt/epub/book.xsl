<?xml version="1.0" encoding="UTF-8"?>
<!--
  EPUB edition: the book's content documents and its navigation document.

  Imports the shared core (and the shared header and parallel modules), so a
  note, a name or an editorial sign reads as in the HTML and the PDF; the
  modules included here override only what an EPUB does differently: note
  calls and notes for reading systems' popups (notes.xsl), headings counted
  from each file's own h1, the translation alternating with its original for
  small screens (alternate.xsl), and the navigation document (nav.xsl).

  Input: <book> holding <part kind="front|document|register|bibliography"
  file="name.xml"> around each TEI file, as the EPUB builder assembles it.
  Output: <pkg:files> with one <pkg:file href="…" title="…"> per content
  document (an XHTML <html> inside), in reading order. The builder resolves
  links against the files, adds the page list, fonts and the package files.

  So that a changed document makes only its own file again, the builder
  asks for the book in pieces ($files): 'documents' makes the files of the
  documents in the input (each alone, with the text it translates as a
  <part kind="original">), 'frame' every other file, with the documents'
  entries left empty (their <TEI> may then hold only the titles of the
  teiHeader's titleStmt). 'all' makes the whole book at once.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:edition:xslt-functions"
    xmlns:m="urn:edition:xslt-modes"
    xmlns:pkg="urn:edition:epub-package"
    xmlns:epub="http://www.idpf.org/2007/ops"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/core.xsl"/>
  <xsl:import href="../common/header.xsl"/>
  <xsl:import href="../common/parallel.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="alternate.xsl"/>
  <xsl:include href="nav.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="edition-title" as="xs:string" select="'Edition'"/>
  <xsl:param name="subtitle" as="xs:string" select="''"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>
  <xsl:param name="licence" as="xs:string" select="''"/>
  <xsl:param name="language" as="xs:string" select="'en'"/>
  <!-- <occurrences><entry id="x"><doc href="page.xhtml" title="…"><at id="anchor" label="¶ 3"/>…</doc>…</entry>…</occurrences> -->
  <xsl:param name="occurrences" as="document-node()?" select="()"/>
  <!-- The fonts embedded in the book and their licences (xslt/epub/fonts.xml), for the colophon. -->
  <xsl:param name="fonts" as="document-node()?" select="doc('fonts.xml')"/>
  <!-- Which files to make: 'all', 'frame' (all but the documents') or 'documents' (see above). -->
  <xsl:param name="files" as="xs:string" select="'all'"/>

  <xsl:key name="occurrences" match="*:entry" use="@id"/>

  <xsl:variable name="front" select="/*:book/*:part[@kind = 'front']/TEI"/>
  <xsl:variable name="documents" select="/*:book/*:part[@kind = 'document']/TEI"/>
  <xsl:variable name="originals" select="/*:book/*:part[@kind = 'original']/TEI"/>
  <xsl:variable name="registers" select="/*:book/*:part[@kind = 'register']/TEI"/>
  <xsl:variable name="bibliography" select="/*:book/*:part[@kind = 'bibliography']/TEI"/>
  <xsl:variable name="front-parts" select="$front/text/(front | body | back)/div[head]"/>

  <!-- What the book holds, in reading order: one entry per content document. -->
  <xsl:variable name="plan" as="element(pkg:file)*">
    <pkg:file href="cover.xhtml" title="Cover" landmark="cover" group=""/>
    <pkg:file href="title.xhtml" title="Title page" landmark="titlepage" group=""/>
    <pkg:file href="nav.xhtml" title="Contents" landmark="toc" group="" properties="nav"/>
    <xsl:for-each select="$front-parts">
      <pkg:file href="{f:file-name(f:part-id(.))}" title="{f:plain(head[1])}" group="" source="{f:part-id(.)}"/>
    </xsl:for-each>
    <xsl:for-each select="$documents">
      <pkg:file href="{f:file-of(.)}" title="{f:doc-title(.)}" group="Documents" source="{f:file-of(.)}"
                landmark="{if (position() = 1) then 'bodymatter' else ''}"/>
    </xsl:for-each>
    <xsl:for-each select="$registers">
      <pkg:file href="{f:file-of(.)}" title="{f:tei-title(.)}" group="Registers" source="{f:file-of(.)}"/>
    </xsl:for-each>
    <xsl:for-each select="$bibliography">
      <pkg:file href="{f:file-of(.)}" title="{f:tei-title(.)}" group="" landmark="bibliography"
                source="{f:file-of(.)}"/>
    </xsl:for-each>
    <pkg:file href="colophon.xhtml" title="Colophon" group=""/>
  </xsl:variable>

  <xsl:template match="/">
    <pkg:files>
      <xsl:for-each select="$plan">
        <xsl:variable name="document" select="@group = 'Documents'"/>
        <xsl:if test="$files = 'all' or $document = ($files = 'documents')">
          <xsl:copy>
            <xsl:copy-of select="@*"/>
            <xsl:apply-templates select="." mode="m:file"/>
          </xsl:copy>
        </xsl:if>
        <!-- in the frame, a document's entry holds its place in the plan -->
        <xsl:if test="$files = 'frame' and $document"><xsl:copy-of select="."/></xsl:if>
      </xsl:for-each>
    </pkg:files>
  </xsl:template>

  <!-- ============ the files ============ -->

  <xsl:template match="pkg:file[@href = 'cover.xhtml']" mode="m:file">
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="$edition-title"/>
      <xsl:with-param name="body-class" select="'cover'"/>
      <xsl:with-param name="content">
        <section epub:type="cover" class="cover">
          <img role="doc-cover" src="images/cover.svg"
               alt="Cover: {$edition-title}{if ($subtitle) then '. ' || $subtitle else ''}"/>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@href = 'title.xhtml']" mode="m:file">
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="'Title page'"/>
      <xsl:with-param name="content">
        <section epub:type="titlepage" class="title-page" aria-label="Title page">
          <xsl:apply-templates select="$front/text/front/titlePage" mode="m:title-page"/>
          <xsl:if test="not($front/text/front/titlePage)">
            <h1 class="title-part main"><xsl:value-of select="$edition-title"/></h1>
            <xsl:if test="$subtitle"><p class="title-part sub"><xsl:value-of select="$subtitle"/></p></xsl:if>
            <xsl:if test="$editors"><p class="byline">Edited by <xsl:value-of select="$editors"/></p></xsl:if>
            <xsl:if test="$publisher"><p class="docImprint"><xsl:value-of select="$publisher"/></p></xsl:if>
          </xsl:if>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@properties = 'nav']" mode="m:file">
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="'Contents'"/>
      <xsl:with-param name="content"><xsl:call-template name="m:nav"/></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A part of the front matter (the introduction, the editorial principles). -->
  <xsl:template match="pkg:file[@group = ''][@source][not(@landmark = 'bibliography')]" mode="m:file">
    <xsl:variable name="div" select="$front-parts[f:part-id(.) = current()/@source]"/>
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="lang" select="f:lang($div)"/>
      <xsl:with-param name="content">
        <section id="{f:part-id($div)}" class="part front-part {f:token($div/@type)}">
          <xsl:if test="$div/@type = 'introduction'">
            <xsl:attribute name="epub:type" select="'introduction'"/>
            <xsl:attribute name="role" select="'doc-introduction'"/>
          </xsl:if>
          <xsl:apply-templates select="$div/node()" mode="m:text">
            <xsl:with-param name="m:heading-base" select="0" tunnel="yes"/>
          </xsl:apply-templates>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@group = 'Documents']" mode="m:file">
    <xsl:variable name="tei" select="$documents[f:file-of(.) = current()/@source]"/>
    <xsl:variable name="source" select="f:translated-from($tei)"/>
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="lang" select="f:lang($tei)"/>
      <xsl:with-param name="content">
        <section epub:type="chapter" role="doc-chapter" class="document" aria-labelledby="{f:heading-id($tei)}">
          <xsl:if test="$tei/@xml:id"><xsl:attribute name="id" select="$tei/@xml:id"/></xsl:if>
          <xsl:variable name="header">
            <xsl:call-template name="m:doc-header"><xsl:with-param name="header" select="$tei/teiHeader"/></xsl:call-template>
          </xsl:variable>
          <xsl:apply-templates select="$header" mode="m:epub-header">
            <xsl:with-param name="heading-id" select="f:heading-id($tei)" tunnel="yes"/>
          </xsl:apply-templates>
          <xsl:choose>
            <xsl:when test="exists($source)">
              <xsl:call-template name="m:alternate">
                <xsl:with-param name="translation" select="$tei"/>
                <xsl:with-param name="source" select="$source"/>
              </xsl:call-template>
            </xsl:when>
            <xsl:otherwise>
              <section class="text" aria-label="Text">
                <xsl:apply-templates select="$tei/text" mode="m:text"/>
              </section>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="m:footnotes">
            <xsl:with-param name="notes" select="$tei/text//note[@place = 'foot']"/>
          </xsl:call-template>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@group = 'Registers']" mode="m:file">
    <xsl:variable name="tei" select="$registers[f:file-of(.) = current()/@source]"/>
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="lang" select="f:lang($tei)"/>
      <xsl:with-param name="content">
        <section class="register" id="{$tei/@xml:id}" aria-labelledby="{$tei/@xml:id}-title">
          <h1 id="{$tei/@xml:id}-title"><xsl:value-of select="@title"/></h1>
          <dl class="register">
            <xsl:apply-templates select="$tei//(person | place | org | personGrp)" mode="m:register-entry"/>
          </dl>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@landmark = 'bibliography']" mode="m:file">
    <xsl:variable name="tei" select="$bibliography"/>
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="string(@title)"/>
      <xsl:with-param name="lang" select="f:lang($tei)"/>
      <xsl:with-param name="content">
        <section epub:type="bibliography" role="doc-bibliography" class="bibliography" id="{$tei/@xml:id}"
                 aria-labelledby="{$tei/@xml:id}-title">
          <h1 id="{$tei/@xml:id}-title"><xsl:value-of select="@title"/></h1>
          <xsl:for-each select="$tei//listBibl">
            <xsl:if test="head"><h2><xsl:apply-templates select="head/node()" mode="m:text"/></h2></xsl:if>
            <ul class="bibl-list">
              <xsl:for-each select="* except head">
                <li class="bibl"><xsl:call-template name="m:id"/><xsl:apply-templates mode="m:text"/></li>
              </xsl:for-each>
            </ul>
          </xsl:for-each>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="pkg:file[@href = 'colophon.xhtml']" mode="m:file">
    <xsl:call-template name="m:xhtml">
      <xsl:with-param name="title" select="'Colophon'"/>
      <xsl:with-param name="content">
        <section epub:type="colophon" role="doc-colophon" class="colophon" aria-labelledby="colophon-title">
          <h1 id="colophon-title">Colophon</h1>
          <p><cite><xsl:value-of select="$edition-title"/></cite><xsl:if test="$subtitle">: <xsl:value-of select="$subtitle"/></xsl:if>.</p>
          <xsl:if test="$editors"><p>Edited by <xsl:value-of select="$editors"/>.</p></xsl:if>
          <xsl:if test="$publisher"><p>Published by <xsl:value-of select="$publisher"/>.</p></xsl:if>
          <xsl:if test="$licence"><p>Licence: <xsl:value-of select="$licence"/>.</p></xsl:if>
          <p>This EPUB is made from the edition's TEI sources by the same XSLT core as its web and print
            editions. Footnotes are numbered as in the sources; where the print edition begins a page, a
            marker gives its number, and the page list leads to it.</p>
          <h2>Fonts</h2>
          <xsl:for-each select="$fonts/*:fonts/*:licence">
            <xsl:variable name="faces" select="../*:font[@licence = current()/@id]"/>
            <section class="font-licence" aria-labelledby="licence-{@id}">
              <h3 id="licence-{@id}"><xsl:value-of select="string-join(distinct-values($faces/@family), ', ')"/></h3>
              <p>Embedded as subsets (only the characters this book uses) under the
                <xsl:value-of select="@name"/>. <xsl:value-of select="*:summary"/></p>
              <xsl:for-each select="*:text/*:p">
                <p class="licence-text"><xsl:value-of select="."/></p>
              </xsl:for-each>
            </section>
          </xsl:for-each>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ============ the shell of every content document ============ -->

  <xsl:template name="m:xhtml">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string" select="$language"/>
    <xsl:param name="body-class" as="xs:string" select="''"/>
    <xsl:param name="content" as="node()*"/>
    <html lang="{$lang}">
      <xsl:namespace name="epub" select="'http://www.idpf.org/2007/ops'"/>
      <head>
        <title><xsl:value-of select="$title"/></title>
        <link rel="stylesheet" type="text/css" href="css/edition.css"/>
      </head>
      <body>
        <xsl:if test="$body-class"><xsl:attribute name="class" select="$body-class"/></xsl:if>
        <xsl:sequence select="$content"/>
      </body>
    </html>
  </xsl:template>

  <!-- ============ what an EPUB renders differently ============ -->

  <!-- Headings count from the file's h1: a front part's head is its h1, a document's title its h1. -->
  <xsl:template match="head" mode="m:text">
    <xsl:param name="m:heading-base" as="xs:integer" select="1" tunnel="yes"/>
    <xsl:element name="h{max((1, min((count(ancestor::div) + $m:heading-base, 6))))}"
                 namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- The shared header block, with what reading systems handle poorly made plain:
       the closed <details> of notes on the transcript is shown open as a section. -->
  <xsl:mode name="m:epub-header" on-no-match="shallow-copy"/>
  <xsl:template match="*:h1" mode="m:epub-header">
    <xsl:param name="heading-id" as="xs:string" tunnel="yes"/>
    <h1 id="{$heading-id}"><xsl:apply-templates mode="#current"/></h1>
  </xsl:template>
  <xsl:template match="*:details" mode="m:epub-header">
    <section class="{@class}"><xsl:apply-templates mode="#current"/></section>
  </xsl:template>
  <xsl:template match="*:summary" mode="m:epub-header">
    <h2 class="summary"><xsl:apply-templates mode="#current"/></h2>
  </xsl:template>

  <!-- A responsibility in a bibliography entry ("translated by …"): the role, then who. -->
  <xsl:template match="respStmt" mode="m:text">
    <span class="respStmt"><xsl:apply-templates select="resp" mode="#current"/><xsl:text> </xsl:text>
      <xsl:for-each select="* except resp">
        <xsl:if test="position() > 1"><xsl:value-of select="if (position() = last()) then ' and ' else ', '"/></xsl:if>
        <xsl:apply-templates select="." mode="#current"/>
      </xsl:for-each></span>
  </xsl:template>
  <xsl:template match="resp" mode="m:text">
    <span class="resp"><xsl:apply-templates mode="#current"/></span>
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
    <dt id="{@xml:id}">
      <xsl:call-template name="m:lang"/>
      <span class="entry-name"><xsl:apply-templates select="(persName | placeName | orgName)[1]/node()" mode="m:text"/></span>
      <xsl:if test="birth/@when or death/@when">
        <xsl:text> (</xsl:text><xsl:value-of select="substring(birth/@when, 1, 4)"/>–<xsl:value-of select="substring(death/@when, 1, 4)"/><xsl:text>)</xsl:text>
      </xsl:if>
    </dt>
    <dd>
      <xsl:for-each select="occupation | desc | note | location/country">
        <p class="{local-name()}"><xsl:call-template name="m:lang"/><xsl:apply-templates mode="m:text"/></p>
      </xsl:for-each>
      <xsl:variable name="where" select="key('occurrences', @xml:id, $occurrences)/*:doc"/>
      <xsl:if test="$where">
        <ul class="occurrences" aria-label="Named in">
          <xsl:for-each select="$where">
            <li><a href="{@href}"><xsl:value-of select="@title"/></a>
              <xsl:for-each select="*:at[@id != '']">
                <xsl:text> </xsl:text><a class="occurrence" href="{../@href}#{@id}"><xsl:value-of select="@label"/></a>
              </xsl:for-each>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:if>
    </dd>
  </xsl:template>

  <!-- ============ functions ============ -->

  <!-- The content document of a TEI file of the book: its file name, .xml become .xhtml. -->
  <xsl:function name="f:file-of" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="f:file-name(replace($tei/../@file, '\.xml$', ''))"/>
  </xsl:function>

  <xsl:function name="f:file-name" as="xs:string">
    <xsl:param name="stem" as="xs:string"/>
    <xsl:sequence select="replace($stem, '[^A-Za-z0-9_.-]', '-') || '.xhtml'"/>
  </xsl:function>

  <xsl:function name="f:part-id" as="xs:string">
    <xsl:param name="div" as="element(div)"/>
    <xsl:sequence select="string(($div/@xml:id, 'part-' || count($div/preceding::div[head]) + 1)[1])"/>
  </xsl:function>

  <xsl:function name="f:lang" as="xs:string">
    <xsl:param name="node" as="element()?"/>
    <xsl:sequence select="string((($node/ancestor-or-self::*/@xml:lang)[last()], $language)[1])"/>
  </xsl:function>

  <xsl:function name="f:heading-id" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="($tei/@xml:id, 'document')[1] || '-heading'"/>
  </xsl:function>

  <xsl:function name="f:doc-title" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="f:plain(($tei/teiHeader/fileDesc/titleStmt/title[@type = 'main'],
                                   $tei/teiHeader/fileDesc/titleStmt/title)[1])"/>
  </xsl:function>

  <xsl:function name="f:tei-title" as="xs:string">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:sequence select="f:plain($tei/teiHeader/fileDesc/titleStmt/title[1])"/>
  </xsl:function>

  <!-- The document of the book that a translation's paragraphs point into with @corresp. -->
  <xsl:function name="f:translated-from" as="element(TEI)?">
    <xsl:param name="tei" as="element(TEI)"/>
    <xsl:variable name="file" select="substring-before(($tei/text//p/@corresp)[1], '#')"/>
    <xsl:sequence select="(($documents, $originals)[$file != ''][../@file = $file] except $tei)[1]"/>
  </xsl:function>
</xsl:stylesheet>
