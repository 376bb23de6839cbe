<?xml version="1.0" encoding="UTF-8"?>
<!--
  The rendering core shared by the HTML, print and EPUB editions: TEI text to
  XHTML-namespace elements, in mode m:text. Every format imports this module,
  so a note, a name or an editorial sign is rendered alike everywhere; a
  format overrides only what differs (import precedence, deliberately).

  Conventions (the editorial principles in xml/front.xml describe them to
  readers): supplied text in square brackets; corrections show the corrected
  reading with the original beside it (hidden in the reading view); [?] for
  doubt; [signature]; handwritten annotations set apart by hand and place;
  page breaks as a discreet marker; footnote calls numbered as in the source.
  An element without a template of its own keeps its text and is marked
  class="tei-unhandled" data-tei="name", which the build reports.
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

  <xsl:mode name="m:text" on-no-match="shallow-skip"/>

  <!-- ============ structure ============ -->

  <xsl:template match="TEI | text | body | back | group" mode="m:text">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="teiHeader" mode="m:text"/>

  <xsl:template match="div" mode="m:text">
    <section class="div {f:token(@type)}">
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </section>
  </xsl:template>

  <xsl:template match="head" mode="m:text">
    <xsl:element name="h{min((count(ancestor::div) + 2, 6))}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="p | ab" mode="m:text">
    <xsl:element name="{if (f:in-paragraph(.)) then 'span' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class" select="local-name() || ' ' || f:token(@type)"/>
      <xsl:call-template name="m:id"/>
      <xsl:call-template name="m:lang"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="front" mode="m:text">
    <div class="front">
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="docTitle" mode="m:text">
    <p class="doc-title"><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></p>
  </xsl:template>

  <xsl:template match="titlePart" mode="m:text">
    <span class="title-part"><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="docDate | dateline | closer | opener | signed | salute | byline | trailer | docImprint | docAuthor"
                mode="m:text">
    <xsl:element name="{if (f:in-paragraph(.)) then 'span' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class" select="local-name()"/>
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="list" mode="m:text">
    <ul class="list {f:token(@type)}"><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></ul>
  </xsl:template>

  <xsl:template match="list/item" mode="m:text">
    <li><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></li>
  </xsl:template>

  <xsl:template match="list/label" mode="m:text">
    <li class="label"><xsl:apply-templates mode="#current"/></li>
  </xsl:template>

  <!-- ============ speakers ============ -->

  <xsl:template match="sp" mode="m:text">
    <div class="sp">
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="speaker" mode="m:text">
    <p class="speaker">
      <xsl:call-template name="m:id"/>
      <xsl:variable name="id" select="f:register-id(../@who)"/>
      <xsl:choose>
        <xsl:when test="exists($id)">
          <a class="name person" href="{f:register-href($id)}"><xsl:apply-templates mode="#current"/></a>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates mode="#current"/></xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates select="following-sibling::*[1][self::stage[@type = 'delivery']]" mode="m:delivery"/>
    </p>
  </xsl:template>

  <xsl:template match="stage[@type = 'delivery'][preceding-sibling::*[1][self::speaker]]" mode="m:text"/>
  <xsl:template match="stage" mode="m:delivery">
    <xsl:text> </xsl:text>
    <span class="stage delivery"><xsl:apply-templates mode="m:text"/></span>
  </xsl:template>

  <xsl:template match="stage" mode="m:text">
    <xsl:element name="{if (f:in-paragraph(.)) then 'span' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class" select="'stage ' || f:token(@type)"/>
      <xsl:call-template name="m:id"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- ============ notes ============ -->

  <!-- A footnote is replaced by its call; its body is rendered with the notes (m:notes). -->
  <xsl:template match="note[@place = 'foot']" mode="m:text">
    <xsl:call-template name="m:note-call"/>
  </xsl:template>

  <xsl:template name="m:note-call">
    <a class="noteref" id="noteref-{@xml:id}" href="#{@xml:id}" role="doc-noteref"
       aria-label="Note {@n}"><sup><xsl:value-of select="@n"/></sup></a>
  </xsl:template>

  <xsl:template name="m:notes">
    <xsl:param name="notes" as="element(note)*"/>
    <xsl:for-each select="$notes">
      <aside class="footnote" id="{@xml:id}" role="doc-footnote">
        <xsl:call-template name="m:lang"/>
        <p>
          <a class="backref" href="#noteref-{@xml:id}" role="doc-backlink"
             aria-label="Back to the call of note {@n}"><xsl:value-of select="@n"/></a>
          <xsl:text> </xsl:text>
          <xsl:apply-templates mode="m:text"/>
        </p>
      </aside>
    </xsl:for-each>
  </xsl:template>

  <!-- Notes inside a footnote (and p inside notes) render inline. -->
  <xsl:template match="note[@place = 'foot']//p" mode="m:text">
    <span class="p"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- Handwritten annotations: set apart, labelled with hand and place. -->
  <xsl:template match="note[@type = 'annotation'][not(@place = 'foot')]" mode="m:text">
    <xsl:variable name="hand" select="f:token(substring-after(@hand, '#'))"/>
    <span class="annotation place-{f:token(@place)} hand-{$hand}" data-hand="{$hand}">
      <xsl:call-template name="m:id"/>
      <xsl:if test="@n"><sup class="annotation-mark"><xsl:value-of select="@n"/></sup></xsl:if>
      <xsl:variable name="hand-note" select="root()//handNote[@xml:id = substring-after(current()/@hand, '#')]"/>
      <span class="annotation-label" title="{replace(normalize-space($hand-note), '\s*\(\)', '')}">Handwritten<xsl:value-of select="
        (if ($hand-note) then ', hand ' || (count($hand-note/preceding-sibling::handNote) + 1) else '')
        || (if (@place = 'top') then ', top of the page'
            else if (@place = 'bottom') then ', foot of the page'
            else if (@place = 'margin') then ', in the margin' else '')"/>: </span>
      <span class="annotation-text"><xsl:apply-templates mode="#current"/></span>
    </span>
  </xsl:template>

  <!-- A note on the document itself (such as the archival source line), set apart. -->
  <xsl:template match="note[@type = 'source'] | note[@place = 'end']" mode="m:text" priority="2">
    <p class="note {f:token(@type)}"><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></p>
  </xsl:template>

  <!-- The editors' inline interventions, in square brackets. -->
  <xsl:template match="note[@place = 'inline'] | note[not(@place)][not(@type = 'annotation')]" mode="m:text">
    <span class="editorial-note">
      <xsl:call-template name="m:id"/>
      <span class="bracket">[</span><xsl:apply-templates mode="#current"/><span class="bracket">]</span>
    </span>
  </xsl:template>

  <!-- ============ editorial signs ============ -->

  <xsl:template match="supplied" mode="m:text">
    <span class="supplied {f:token(@reason)}" title="supplied by the {if (@reason = 'original-wording') then 'translator: the original wording' else if (@reason = 'editorial') then 'editors' else 'translator'}">
      <xsl:call-template name="m:id"/>
      <span class="bracket">[</span><xsl:apply-templates mode="#current"/><span class="bracket">]</span>
    </span>
  </xsl:template>

  <xsl:template match="choice[sic and corr] | choice[orig and reg]" mode="m:text">
    <span class="choice">
      <span class="corr" title="corrected reading; the source has: {f:plain(sic | orig)}">
        <xsl:apply-templates select="corr/node() | reg/node()" mode="#current"/>
      </span>
      <span class="sic"><span class="bracket"> [</span><span class="label">source: </span><xsl:apply-templates select="sic/node() | orig/node()" mode="#current"/><span class="bracket">]</span></span>
    </span>
  </xsl:template>

  <xsl:template match="choice[abbr and expan]" mode="m:text">
    <abbr title="{f:plain(expan)}"><xsl:apply-templates select="abbr/node()" mode="#current"/></abbr>
  </xsl:template>

  <xsl:template match="certainty" mode="m:text">
    <span class="doubt" title="doubtful reading"><span class="bracket">[</span>?<span class="bracket">]</span></span>
  </xsl:template>

  <xsl:template match="gap" mode="m:text">
    <span class="gap {f:token(@reason)}">
      <span class="bracket">[</span>
      <xsl:value-of select="if (desc) then normalize-space(desc) else if (@reason) then @reason else '…'"/>
      <span class="bracket">]</span>
    </span>
  </xsl:template>

  <xsl:template match="unclear" mode="m:text">
    <span class="unclear" title="unclear reading"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="add" mode="m:text">
    <span class="add place-{f:token(@place)}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="del" mode="m:text">
    <del><xsl:apply-templates mode="#current"/></del>
  </xsl:template>

  <xsl:template match="pb" mode="m:text">
    <span class="pb" role="separator" aria-label="page break in the archival original{if (@n) then concat(' (', @n, ')') else ''}">
      <xsl:call-template name="m:id"/>
      <xsl:value-of select="if (@n) then concat('|', @n, '|') else '|'"/>
    </span>
  </xsl:template>

  <xsl:template match="lb" mode="m:text"><br/></xsl:template>

  <!-- ============ phrases ============ -->

  <xsl:template match="foreign" mode="m:text">
    <i class="foreign"><xsl:call-template name="m:id"/><xsl:call-template name="m:lang"/><xsl:apply-templates mode="#current"/></i>
  </xsl:template>

  <xsl:template match="title" mode="m:text">
    <cite class="title"><xsl:call-template name="m:id"/><xsl:call-template name="m:lang"/><xsl:apply-templates mode="#current"/></cite>
  </xsl:template>

  <xsl:template match="hi | emph | mentioned | soCalled | term | seg | q | quote | said | cit | bibl | biblScope
                       | editor | author | publisher | pubPlace | measure | num | time | name | roleName
                       | forename | surname | addName | genName | idno | rs[not(@ref)] | email | address | addrLine" mode="m:text">
    <span class="{local-name()} {string-join(for $t in tokenize(@rend, '\s+') return 'rend-' || f:token($t), ' ')}">
      <xsl:call-template name="m:id"/>
      <xsl:call-template name="m:lang"/>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="persName | placeName | orgName | rs[@ref] | settlement | country | region | geogName | repository"
                mode="m:text">
    <xsl:variable name="id" select="f:register-id(@ref)"/>
    <xsl:variable name="kind" select="
      if (self::persName or @type = 'person') then 'person'
      else if (self::orgName or self::repository or @type = 'org') then 'org' else 'place'"/>
    <xsl:choose>
      <xsl:when test="exists($id) and not(f:in-link(.))">
        <a class="name {$kind}" href="{f:href(@ref)}" data-ref="{$id}">
          <xsl:call-template name="m:id"/>
          <xsl:call-template name="m:lang"/>
          <xsl:apply-templates mode="#current"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="name {$kind}"><xsl:call-template name="m:id"/><xsl:call-template name="m:lang"/><xsl:apply-templates mode="#current"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="date" mode="m:text">
    <xsl:choose>
      <xsl:when test="matches(@when, '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time datetime="{@when}"><xsl:call-template name="m:id"/><xsl:apply-templates mode="#current"/></time>
      </xsl:when>
      <xsl:otherwise><span class="date"><xsl:apply-templates mode="#current"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="ref | ptr" mode="m:text">
    <xsl:variable name="href" select="f:href(@target)"/>
    <xsl:choose>
      <xsl:when test="$href != '' and not(f:in-link(.))">
        <a href="{$href}"><xsl:apply-templates mode="#current"/><xsl:if test="self::ptr"><xsl:value-of select="@target"/></xsl:if></a>
      </xsl:when>
      <xsl:otherwise><span class="ref"><xsl:apply-templates mode="#current"/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The tag documentation elements that editors' notes use. -->
  <xsl:template match="gi" mode="m:text">
    <code class="gi">&lt;<xsl:apply-templates mode="#current"/>&gt;</code>
  </xsl:template>
  <xsl:template match="att" mode="m:text">
    <code class="att">@<xsl:apply-templates mode="#current"/></code>
  </xsl:template>
  <xsl:template match="val | code | ident" mode="m:text">
    <code class="{local-name()}"><xsl:apply-templates mode="#current"/></code>
  </xsl:template>
  <xsl:template match="relatedItem | listBibl | biblStruct | monogr | analytic | imprint" mode="m:text">
    <span class="{local-name()}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <!-- Anything else: keep its text, say which element it was. Never drop words. -->
  <xsl:template match="*" mode="m:text" priority="-1">
    <span class="tei-unhandled" data-tei="{local-name()}"><xsl:apply-templates mode="#current"/></span>
  </xsl:template>

  <xsl:template match="text()" mode="m:text">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- ============ helpers ============ -->

  <!-- A block shown a second time on the same page (the source beside its translation)
       is rendered with m:copy = true(), and keeps no ids: ids stay unique. -->
  <xsl:template name="m:id">
    <xsl:param name="m:copy" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:if test="@xml:id and not($m:copy)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <xsl:template name="m:lang">
    <xsl:if test="@xml:lang"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
  </xsl:template>
</xsl:stylesheet>
