<?xml version="1.0" encoding="UTF-8"?>
<!-- The HTML page shell shared by every page of the site. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:m="urn:edition:xslt-modes"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:template name="m:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="lang" as="xs:string" select="'en'"/>
    <xsl:param name="head-extra" as="node()*" select="()"/>
    <xsl:param name="content" as="node()*"/>
    <html lang="{($lang[. != ''], 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — <xsl:value-of select="$edition-title"/></title>
        <link rel="stylesheet" href="assets/edition.css"/>
        <link rel="stylesheet" href="assets/print.css" media="print"/>
        <xsl:sequence select="$head-extra"/>
        <script src="assets/edition.js" defer="defer"></script>
      </head>
      <body class="view-reading">
        <a class="skip" href="#main">Skip to the text</a>
        <header class="site">
          <p class="site-title"><a href="index.html"><xsl:value-of select="$edition-title"/></a></p>
          <nav aria-label="Edition">
            <ul>
              <li><a href="index.html">Documents</a></li>
              <li><a href="persons.html">Persons</a></li>
              <li><a href="places.html">Places</a></li>
              <li><a href="organisations.html">Organisations</a></li>
              <li><a href="search.html">Search</a></li>
            </ul>
          </nav>
        </header>
        <main id="main" data-pagefind-body="">
          <xsl:sequence select="$content"/>
        </main>
        <footer class="site"><p><xsl:value-of select="$publisher"/></p></footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
