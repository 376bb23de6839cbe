<?xml version="1.0" encoding="UTF-8"?>
<!--
  HTML edition, home page: the front matter (title page, introduction,
  editorial principles) and a chronological table of the documents.
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
  <xsl:include href="page.xsl"/>

  <xsl:output method="html" version="5.0" encoding="UTF-8" include-content-type="no" indent="no"/>

  <xsl:param name="edition-title" as="xs:string" select="'Edition'"/>
  <xsl:param name="publisher" as="xs:string" select="''"/>
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>
  <!-- <documents><document href="page.html"><teiHeader>…</teiHeader></document>…</documents> -->
  <xsl:param name="documents" as="document-node()?" select="()"/>

  <xsl:template match="/">
    <xsl:call-template name="m:page">
      <xsl:with-param name="title" select="'Home'"/>
      <xsl:with-param name="lang" select="string(/TEI/@xml:lang)"/>
      <xsl:with-param name="content">
        <xsl:apply-templates select="/TEI/text/front/titlePage" mode="m:title-page"/>
        <xsl:if test="not(/TEI/text/front/titlePage)">
          <h1><xsl:value-of select="$edition-title"/></h1>
        </xsl:if>
        <section class="documents" aria-labelledby="documents-heading">
          <h2 id="documents-heading">The documents</h2>
          <table class="documents">
            <caption>The documents in chronological order</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Document</th><th scope="col">Place</th>
              <th scope="col">Participants</th><th scope="col">Summary</th></tr></thead>
            <tbody>
              <xsl:for-each select="$documents/*:documents/*:document">
                <xsl:sort select="(.//profileDesc/settingDesc/setting/date/@when, '9999')[1]"/>
                <xsl:variable name="h" select="teiHeader"/>
                <tr lang="{(@lang[. != ''], 'en')[1]}">
                  <td><xsl:value-of select="f:plain($h/profileDesc/settingDesc/setting/date)"/></td>
                  <td><a href="{@href}"><xsl:value-of select="f:plain(($h/fileDesc/titleStmt/title[@type = 'main'], $h/fileDesc/titleStmt/title)[1])"/></a></td>
                  <td><xsl:value-of select="string-join($h/profileDesc/settingDesc/setting/placeName ! f:plain(.), ', ')"/></td>
                  <td><xsl:value-of select="string-join($h/profileDesc/particDesc//person/f:plain(persName), ', ')"/></td>
                  <td><xsl:value-of select="f:plain($h/profileDesc/abstract)"/></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </section>
        <xsl:apply-templates select="/TEI/text/(front/div | body | back)" mode="m:text"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="titlePage" mode="m:title-page">
    <header class="title-page">
      <xsl:for-each select="docTitle/titlePart">
        <xsl:element name="{if (@type = 'sub') then 'p' else 'h1'}" namespace="http://www.w3.org/1999/xhtml">
          <xsl:attribute name="class" select="'title-part ' || f:token(@type)"/>
          <xsl:apply-templates mode="m:text"/>
        </xsl:element>
      </xsl:for-each>
      <xsl:apply-templates select="* except docTitle" mode="m:text"/>
    </header>
  </xsl:template>
</xsl:stylesheet>
