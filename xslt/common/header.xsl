<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document's header block, shared by every format: title, date, place,
  participants, archival source, responsibilities, source citation, funding,
  rights, notes on the transcript and the summary.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:edition:xslt-functions"
    xmlns:m="urn:edition:xslt-modes"
    xmlns="http://www.w3.org/1999/xhtml"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <xsl:import href="functions.xsl"/>

  <xsl:template name="m:doc-header">
    <xsl:param name="header" as="element(teiHeader)" select="/TEI/teiHeader"/>
    <xsl:param name="title" as="xs:string" select="f:plain(($header/fileDesc/titleStmt/title[@type = 'main'], $header/fileDesc/titleStmt/title)[1])"/>
    <xsl:variable name="ms" select="$header/fileDesc/sourceDesc/msDesc/msIdentifier"/>
    <header class="doc-header">
      <h1><xsl:value-of select="$title"/></h1>
      <dl class="doc-meta">
        <xsl:for-each select="$header/profileDesc/settingDesc/setting">
          <dt>Date</dt><dd><xsl:value-of select="f:plain(date)"/></dd>
          <dt>Place</dt>
          <dd><xsl:for-each select="placeName"><xsl:apply-templates select="." mode="m:text"/><xsl:if test="position() != last()">, </xsl:if></xsl:for-each></dd>
        </xsl:for-each>
        <xsl:if test="$header/profileDesc/particDesc//person">
          <dt>Participants</dt>
          <dd>
            <xsl:for-each select="$header/profileDesc/particDesc//person">
              <xsl:variable name="id" select="f:register-id(@sameAs)"/>
              <xsl:choose>
                <xsl:when test="exists($id)"><a class="name person" href="{f:register-href($id)}"><xsl:value-of select="f:plain(persName)"/></a></xsl:when>
                <xsl:otherwise><xsl:value-of select="f:plain(persName)"/></xsl:otherwise>
              </xsl:choose>
              <xsl:if test="position() != last()">, </xsl:if>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:if test="$ms">
          <dt>Archival source</dt>
          <dd><xsl:value-of select="string-join(($ms/repository, for $t in ('fond', 'opis', 'delo', 'folios') return
               $ms/idno[@type = $t]/concat(map{'fond':'f. ','opis':'op. ','delo':'d. ','folios':'ll. '}($t), .)), ', ')"/></dd>
        </xsl:if>
        <xsl:for-each select="$header/fileDesc/titleStmt/respStmt[resp]">
          <dt><xsl:value-of select="f:plain(resp)"/></dt>
          <dd><xsl:value-of select="string-join((* except resp) ! f:plain(.), '; ')"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/profileDesc/textClass/keywords/term">
          <dt>Document type</dt><dd><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/titleStmt/author">
          <dt>Author</dt><dd><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/publicationStmt/date">
          <dt>Published</dt><dd><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/sourceDesc//bibl[not(ancestor::bibl)]">
          <dt>Source</dt><dd class="source-citation"><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/titleStmt/(funder | sponsor)">
          <dt>Funding</dt><dd><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/publicationStmt/availability">
          <dt>Rights</dt><dd class="rights"><xsl:apply-templates mode="m:text"/></dd>
        </xsl:for-each>
      </dl>
      <xsl:if test="$header/fileDesc/notesStmt/note">
        <details class="source-notes">
          <summary>About this transcript</summary>
          <xsl:for-each select="$header/fileDesc/notesStmt/note">
            <div class="source-note"><xsl:apply-templates mode="m:text"/></div>
          </xsl:for-each>
        </details>
      </xsl:if>
      <xsl:for-each select="$header/profileDesc/abstract">
        <div class="abstract"><h2>Summary</h2><xsl:apply-templates mode="m:text"/></div>
      </xsl:for-each>
    </header>
  </xsl:template>

</xsl:stylesheet>
