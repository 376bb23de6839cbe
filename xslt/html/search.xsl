<?xml version="1.0" encoding="UTF-8"?>
<!-- HTML edition, the search page: a form over the Pagefind index the build makes (assets/search.js). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:m="urn:edition:xslt-modes"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:include href="page.xsl"/>

  <xsl:output method="html" version="5.0" encoding="UTF-8" include-content-type="no" indent="no"/>

  <xsl:param name="edition-title" as="xs:string" select="'Edition'"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>

  <xsl:template match="/">
    <xsl:call-template name="m:page">
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="head-extra">
        <script src="assets/search.js" type="module"></script>
      </xsl:with-param>
      <xsl:with-param name="content">
        <h1>Search the edition</h1>
        <p class="search-help">Searches the documents, their notes, the registers and the front matter.
          Search needs JavaScript and the site served over http(s); everything else reads without it.</p>
        <form class="search" role="search" action="search.html" data-pagefind-ignore="all">
          <label for="search-input">Words to find</label>
          <input id="search-input" name="q" type="search" autocomplete="off"/>
          <button type="submit">Search</button>
        </form>
        <p id="search-status" role="status" aria-live="polite"></p>
        <ol id="search-results" class="search-results" data-pagefind-ignore="all"></ol>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>
