<?xml version="1.0" encoding="UTF-8"?>
<!--
  A translation beside the text it translates, shared by every format: one row
  per block of the translation (title, heading, dateline, annotation, paragraph,
  closer), holding the source's blocks its @corresp point to (one, or two where
  one paragraph renders two) and the translation's block.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:m="urn:edition:xslt-modes"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:template name="m:parallel-rows">
    <xsl:param name="translation" as="element(TEI)"/>
    <xsl:param name="source" as="element(TEI)"/>
    <!-- whether the source's blocks appear elsewhere in the same output (then without ids) -->
    <xsl:param name="copy" as="xs:boolean" select="false()"/>
    <xsl:variable name="source-lang" select="string(($source/@xml:lang, 'en')[1])"/>
    <xsl:for-each select="$translation/text/front/* | $translation/text/body/div/* | $translation/text/body/(* except div)">
      <xsl:variable name="targets" select="distinct-values(descendant-or-self::*/@corresp
                                           ! tokenize(normalize-space(.), ' ') ! substring-after(., '#'))"/>
      <xsl:variable name="blocks" select="$source//*[@xml:id = $targets]"/>
      <div class="row">
        <div class="col source" lang="{$source-lang}">
          <xsl:apply-templates select="$blocks[not(ancestor::* intersect $blocks)]" mode="m:text">
            <xsl:with-param name="m:copy" select="$copy" tunnel="yes"/>
          </xsl:apply-templates>
        </div>
        <div class="col translation" lang="{$translation/@xml:lang}">
          <xsl:apply-templates select="." mode="m:text"/>
        </div>
      </div>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
