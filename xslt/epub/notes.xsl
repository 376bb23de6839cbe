<?xml version="1.0" encoding="UTF-8"?>
<!--
  EPUB footnotes (included by book.xsl, so these override the shared core).

  Reading systems show a note as a popup when its call is an <a epub:type=
  "noteref"> and the note an <aside epub:type="footnote">, and keep such
  asides out of the running text. The DPUB-ARIA roles say the same to
  assistive technology. Numbers stay those of the TEI (@n), as in the HTML
  and the PDF; each note links back to its call.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:m="urn:edition:xslt-modes"
    xmlns:epub="http://www.idpf.org/2007/ops"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- The call. A block shown twice (the original beside its translation) keeps no ids. -->
  <xsl:template name="m:note-call">
    <xsl:param name="m:copy" as="xs:boolean" select="false()" tunnel="yes"/>
    <a class="noteref" epub:type="noteref" role="doc-noteref" href="#{@xml:id}">
      <xsl:if test="not($m:copy)"><xsl:attribute name="id" select="'noteref-' || @xml:id"/></xsl:if>
      <sup><xsl:value-of select="@n"/></sup>
    </a>
  </xsl:template>

  <!-- The notes themselves: one aside each, with a link back to the call. -->
  <xsl:template name="m:notes">
    <xsl:param name="notes" as="element(note)*"/>
    <xsl:for-each select="$notes">
      <aside class="footnote" epub:type="footnote" role="doc-footnote" id="{@xml:id}">
        <xsl:call-template name="m:lang"/>
        <p>
          <a class="backref" role="doc-backlink" href="#noteref-{@xml:id}"
             aria-label="Note {@n}, back to the text"><xsl:value-of select="@n"/></a>
          <xsl:text> </xsl:text>
          <xsl:apply-templates mode="m:text"/>
        </p>
      </aside>
    </xsl:for-each>
  </xsl:template>

  <!-- A document's notes, after its text, under a heading of their own (one such section per file). -->
  <xsl:template name="m:footnotes">
    <xsl:param name="notes" as="element(note)*"/>
    <xsl:if test="exists($notes)">
      <section class="footnotes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <xsl:call-template name="m:notes"><xsl:with-param name="notes" select="$notes"/></xsl:call-template>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
