<?xml version="1.0" encoding="UTF-8"?>
<!--
  The EPUB navigation document's contents and landmarks (included by
  book.xsl), from the book's plan: every content document in reading order,
  the documents and the registers grouped under a heading of their own.
  The page list is added by the builder, which knows where the print
  edition's pages begin; the NCX for older reading systems is made from this.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:m="urn:edition:xslt-modes"
    xmlns:pkg="urn:edition:epub-package"
    xmlns:epub="http://www.idpf.org/2007/ops"
    xmlns="http://www.w3.org/1999/xhtml"
    exclude-result-prefixes="#all">

  <xsl:template name="m:nav">
    <nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">
      <h1 id="toc-title">Contents</h1>
      <ol>
        <xsl:for-each-group select="$plan[not(@landmark = ('cover', 'toc'))]" group-adjacent="string(@group)">
          <xsl:choose>
            <xsl:when test="current-grouping-key() = ''">
              <xsl:for-each select="current-group()">
                <li><a href="{@href}"><xsl:value-of select="@title"/></a></li>
              </xsl:for-each>
            </xsl:when>
            <xsl:otherwise>
              <li>
                <span><xsl:value-of select="current-grouping-key()"/></span>
                <ol>
                  <xsl:for-each select="current-group()">
                    <li><a href="{@href}"><xsl:value-of select="@title"/></a></li>
                  </xsl:for-each>
                </ol>
              </li>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each-group>
      </ol>
    </nav>
    <nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">
      <h2 id="landmarks-title">Landmarks</h2>
      <ol>
        <xsl:for-each select="$plan[@landmark != '']">
          <li><a epub:type="{@landmark}" href="{@href}{if (@landmark = 'toc') then '#toc' else ''}">
            <xsl:value-of select="if (@landmark = 'bodymatter') then 'Start of the documents' else @title"/>
          </a></li>
        </xsl:for-each>
      </ol>
    </nav>
  </xsl:template>
</xsl:stylesheet>
