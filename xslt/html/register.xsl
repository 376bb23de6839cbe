<?xml version="1.0" encoding="UTF-8"?>
<!--
  HTML edition, register pages (persons, places, organisations): each entry
  with its dates, roles and note, and links to every document that names it.
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
  <xsl:param name="kind" as="xs:string" select="'persons'"/>
  <!-- <occurrences><entry id="x"><doc href="page.html" title="…"><at id="anchor" label="¶ 3"/>…</doc>…</entry>…</occurrences> -->
  <xsl:param name="occurrences" as="document-node()?" select="()"/>

  <xsl:key name="occurrences" match="*:entry" use="@id"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="f:plain(/TEI/teiHeader/fileDesc/titleStmt/title[1])"/>
    <xsl:call-template name="m:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="$title"/></h1>
        <xsl:variable name="entries" select="//person | //place | //org | //personGrp"/>
        <dl class="register {$kind}">
          <xsl:for-each select="$entries">
            <xsl:sort select="lower-case(f:plain((persName | placeName | orgName)[1]/(surname, .)[1]))"/>
            <dt id="{@xml:id}">
              <xsl:apply-templates select="(persName | placeName | orgName)[1]" mode="m:entry-name"/>
              <xsl:if test="birth/@when or death/@when">
                <xsl:text> (</xsl:text><xsl:value-of select="substring(birth/@when, 1, 4)"/>–<xsl:value-of select="substring(death/@when, 1, 4)"/><xsl:text>)</xsl:text>
              </xsl:if>
            </dt>
            <dd>
              <xsl:for-each select="occupation | desc | note | location/country">
                <p class="{local-name()}"><xsl:apply-templates mode="m:text"/></p>
              </xsl:for-each>
              <xsl:variable name="where" select="key('occurrences', @xml:id, $occurrences)/*:doc"/>
              <xsl:if test="$where">
                <ul class="occurrences">
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
          </xsl:for-each>
        </dl>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="*" mode="m:entry-name">
    <span class="entry-name"><xsl:apply-templates mode="m:text"/></span>
  </xsl:template>
</xsl:stylesheet>
