<?xml version="1.0" encoding="UTF-8"?>
<!--
  A translation and its original for small screens (included by book.xsl).

  Two columns do not fit a phone, so the shared module's aligned rows
  (common/parallel.xsl) are read one after the other: each block of the
  original, then its translation, each labelled with its language, in that
  language, and tagged with it (lang). The original's blocks are copies (its
  own file has them with their ids), so they carry no ids here.
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

  <!-- A language's name in that language; other languages are named by their tag. -->
  <xsl:variable name="f:autonyms" as="map(xs:string, xs:string)" select="map{
    'en': 'English', 'vi': 'Tiếng Việt', 'ru': 'Русский', 'zh': '中文', 'fr': 'Français',
    'de': 'Deutsch', 'ar': 'العربية', 'es': 'Español'}"/>

  <xsl:template name="m:alternate">
    <xsl:param name="translation" as="element(TEI)"/>
    <xsl:param name="source" as="element(TEI)"/>
    <xsl:variable name="rows">
      <xsl:call-template name="m:parallel-rows">
        <xsl:with-param name="translation" select="$translation"/>
        <xsl:with-param name="source" select="$source"/>
        <xsl:with-param name="copy" select="true()"/>
      </xsl:call-template>
    </xsl:variable>
    <section class="text alternate" aria-label="Text and translation, block by block">
      <xsl:apply-templates select="$rows/*" mode="m:alternate"/>
    </section>
  </xsl:template>

  <xsl:mode name="m:alternate" on-no-match="shallow-copy"/>

  <xsl:template match="*:div[@class = 'row']" mode="m:alternate">
    <div class="pair"><xsl:apply-templates mode="#current"/></div>
  </xsl:template>

  <!-- A column: its language's label, then its blocks (a column with no block is left out). -->
  <xsl:template match="*:div[tokenize(@class) = 'col'][not(*)]" mode="m:alternate" priority="1"/>
  <xsl:template match="*:div[tokenize(@class) = 'col']" mode="m:alternate">
    <xsl:variable name="tag" select="string(@lang)"/>
    <div class="{@class}" lang="{$tag}">
      <p class="lang-label"><xsl:value-of select="f:language-name($tag)"/></p>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:function name="f:language-name" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:sequence select="($f:autonyms(lower-case(tokenize($tag, '-')[1])), $tag)[1]"/>
  </xsl:function>
</xsl:stylesheet>
