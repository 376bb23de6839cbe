<?xml version="1.0" encoding="UTF-8"?>
<!--
  HTML edition: one page per document. Imports the shared core and adds the
  page: header block, the text with notes linked both ways, how to cite
  (stable URL, CSL-JSON, BibTeX), citation meta tags and schema.org JSON-LD.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:edition:xslt-functions"
    xmlns:m="urn:edition:xslt-modes"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="../common/core.xsl"/>
  <xsl:import href="../common/header.xsl"/>
  <xsl:import href="../common/parallel.xsl"/>
  <xsl:include href="page.xsl"/>

  <xsl:output method="html" version="5.0" encoding="UTF-8" include-content-type="no" indent="no"/>

  <xsl:param name="edition-title" as="xs:string" select="'Edition'"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>
  <xsl:param name="page-name" as="xs:string" select="concat(/TEI/@xml:id, '.html')"/>
  <!-- The text this one translates, for the parallel view (its @corresp point into it). -->
  <xsl:param name="parallel" as="document-node()?" select="()"/>
  <xsl:param name="parallel-page" as="xs:string" select="''"/>

  <xsl:variable name="header" select="/TEI/teiHeader"/>
  <xsl:variable name="title" select="f:plain(($header/fileDesc/titleStmt/title[@type = 'main'], $header/fileDesc/titleStmt/title)[1])"/>
  <xsl:variable name="when" select="($header/profileDesc/settingDesc/setting/date/@when, $header/fileDesc/publicationStmt/date/@when)[1]"/>
  <xsl:variable name="url" select="concat($base-url, $page-name)"/>

  <xsl:template match="/">
    <xsl:call-template name="m:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="lang" select="string(/TEI/@xml:lang)"/>
      <xsl:with-param name="head-extra"><xsl:call-template name="m:citation-meta"/></xsl:with-param>
      <xsl:with-param name="content">
        <article class="document" lang="{/TEI/@xml:lang}">
          <xsl:call-template name="m:doc-header"/>
          <xsl:call-template name="m:view-switch"/>
          <xsl:choose>
            <xsl:when test="exists($parallel)"><xsl:call-template name="m:parallel-text"/></xsl:when>
            <xsl:otherwise>
              <section class="text" aria-label="Text">
                <xsl:apply-templates select="/TEI/text" mode="m:text"/>
              </section>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:variable name="notes" select="/TEI/text//note[@place = 'foot']"/>
          <xsl:if test="$notes">
            <section class="footnotes" aria-labelledby="notes-heading">
              <h2 id="notes-heading">Notes</h2>
              <xsl:call-template name="m:notes"><xsl:with-param name="notes" select="$notes"/></xsl:call-template>
            </section>
          </xsl:if>
          <xsl:call-template name="m:cite"/>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A translation beside the text it translates, aligned block by block through @corresp.
       Either language alone is a link away, and needs no JavaScript (CSS :target). -->
  <xsl:template name="m:parallel-text">
    <xsl:variable name="source-lang" select="string(($parallel/TEI/@xml:lang, 'en')[1])"/>
    <xsl:variable name="lang" select="string(/TEI/@xml:lang)"/>
    <span id="only-source" class="view-target"></span>
    <span id="only-translation" class="view-target"></span>
    <nav class="lang-switch" aria-label="Languages">
      <a href="#parallel">Both languages</a>
      <a href="#only-source" lang="{$source-lang}">Original English only</a>
      <a href="#only-translation" lang="{$lang}">Bản dịch tiếng Việt</a>
      <a href="{$parallel-page}">The English record on its own page</a>
    </nav>
    <section class="text parallel" id="parallel" aria-label="Text and translation">
      <xsl:call-template name="m:parallel-rows">
        <xsl:with-param name="translation" select="/TEI"/>
        <xsl:with-param name="source" select="$parallel/TEI"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- Paragraphs carry an anchor for citation. -->
  <xsl:template match="p[@xml:id][not(ancestor::note)]" mode="m:text">
    <p class="p {f:token(@type)}" id="{@xml:id}">
      <xsl:call-template name="m:lang"/>
      <a class="anchor" href="#{@xml:id}" aria-label="Link to this paragraph">¶</a>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template name="m:view-switch">
    <div class="view-switch" role="group" aria-label="View">
      <button type="button" class="view-button" data-view="reading" aria-pressed="true">Reading view</button>
      <button type="button" class="view-button" data-view="editorial" aria-pressed="false">Show editorial interventions</button>
    </div>
  </xsl:template>

  <xsl:template name="m:cite">
    <xsl:variable name="year" select="substring($when, 1, 4)"/>
    <xsl:variable name="csl" select="serialize(map{
        'id': string(/TEI/@xml:id), 'type': 'document', 'title': $title,
        'container-title': $edition-title, 'publisher': $publisher, 'URL': $url,
        'issued': map{'date-parts': [[xs:integer(($year[. castable as xs:integer], '0')[1])]]},
        'archive': string-join(($header/fileDesc/sourceDesc/msDesc/msIdentifier/repository), '')},
        map{'method': 'json', 'indent': true()})"/>
    <section class="cite" aria-labelledby="cite-heading">
      <h2 id="cite-heading">How to cite</h2>
      <p class="citation">“<xsl:value-of select="$title"/>,” in <cite><xsl:value-of select="$edition-title"/></cite>,
        <xsl:value-of select="$publisher"/>. <a href="{$url}"><xsl:value-of select="$url"/></a>.
        Cite a paragraph by its anchor (¶), e.g. <code><xsl:value-of select="$url"/>#<xsl:value-of select="(/TEI/text//p/@xml:id)[1]"/></code>.</p>
      <details><summary>CSL-JSON</summary><pre class="csl-json"><xsl:value-of select="$csl"/></pre></details>
      <details><summary>BibTeX</summary><pre class="bibtex">@misc{<xsl:value-of select="replace(/TEI/@xml:id, '[^A-Za-z0-9]', '')"/>,
  title = {<xsl:value-of select="replace($title, '[{}\\]', '')"/>},
  howpublished = {<xsl:value-of select="replace($edition-title, '[{}\\]', '')"/>},
  publisher = {<xsl:value-of select="replace($publisher, '[{}\\]', '')"/>},
  year = {<xsl:value-of select="$year"/>},
  url = {<xsl:value-of select="$url"/>}
}</pre></details>
    </section>
  </xsl:template>

  <xsl:template name="m:citation-meta">
    <meta name="citation_title" content="{$title}"/>
    <meta name="citation_publication_date" content="{translate($when, '-', '/')}"/>
    <meta name="citation_publisher" content="{$publisher}"/>
    <meta name="citation_inbook_title" content="{$edition-title}"/>
    <meta name="citation_public_url" content="{$url}"/>
    <meta name="citation_language" content="{/TEI/@xml:lang}"/>
    <xsl:variable name="jsonld" select="serialize(map{
        '@context': 'https://schema.org', '@type': 'ArchiveComponent', 'name': $title,
        'dateCreated': string($when), 'inLanguage': string(/TEI/@xml:lang), 'url': $url,
        'isPartOf': map{'@type': 'Book', 'name': $edition-title, 'publisher': $publisher},
        'holdingArchive': string(($header/fileDesc/sourceDesc/msDesc/msIdentifier/repository)[1]),
        'about': array{ distinct-values($header/profileDesc/particDesc//person/f:plain(persName)) }},
        map{'method': 'json'})"/>
    <script type="application/ld+json"><xsl:value-of select="replace($jsonld, '&lt;', '\\u003c')"/></script>
  </xsl:template>
</xsl:stylesheet>
