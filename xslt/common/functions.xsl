<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared functions (prefix f:) for every output format: pointers to links,
  safe attribute values, plain text of TEI fragments.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:f="urn:edition:xslt-functions"
    xpath-default-namespace="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="#all">

  <!-- The page of the edition a TEI pointer leads to: "persons.xml#x" is "persons.html#x".
       Only relative pointers to edition files and absolute http(s) URLs survive; anything
       else (javascript:, data:, odd schemes) gives the empty string, so it is never linked. -->
  <xsl:function name="f:href" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:sequence select="f:site-href($pointer)"/>
  </xsl:function>

  <!-- f:href for the site; a format whose targets live elsewhere (the print book) overrides f:href
       and starts from this. -->
  <xsl:function name="f:site-href" as="xs:string">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="p" select="normalize-space(tokenize(normalize-space($pointer), ' ')[1])"/>
    <xsl:sequence select="
      if (matches($p, '^https?://[^\s&quot;&lt;&gt;]+$')) then $p
      else if (matches($p, '^#[\i][\c]*$')) then $p
      else if (matches($p, '^[A-Za-z0-9_.-]+\.xml(#[\i][\c]*)?$')) then replace($p, '\.xml', '.html')
      else ''"/>
  </xsl:function>

  <!-- Where a register entry is read: the persons' page of the site. Print overrides it (the
       entry is in the book). -->
  <xsl:function name="f:register-href" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="'persons.html#' || $id"/>
  </xsl:function>

  <!-- A class token from an attribute value: only letters, digits and hyphens. -->
  <xsl:function name="f:token" as="xs:string">
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="lower-case(replace(normalize-space($value), '[^A-Za-z0-9-]+', '-'))"/>
  </xsl:function>

  <!-- The register id a @ref or @who names, if it points into a register. -->
  <xsl:function name="f:register-id" as="xs:string?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="p" select="tokenize(normalize-space($pointer), ' ')[1]"/>
    <xsl:sequence select="if (matches($p, '^(persons|places|organisations)\.xml#')) then substring-after($p, '#') else ()"/>
  </xsl:function>

  <!-- Whether a node stands inside an element that renders as an HTML paragraph (p cannot nest). -->
  <xsl:function name="f:in-paragraph" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node/ancestor::*[self::p or self::ab or self::head or self::speaker
      or self::docImprint or self::docDate or self::docAuthor or self::dateline or self::closer or self::opener
      or self::signed or self::salute or self::byline or self::trailer or self::stage or self::label])"/>
  </xsl:function>

  <!-- Whether a node stands inside something rendered as a link (links cannot nest). -->
  <xsl:function name="f:in-link" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node/ancestor::*[(self::persName or self::placeName or self::orgName or self::rs
      or self::settlement or self::country or self::region or self::geogName or self::repository)
      and exists(f:register-id(@ref))]
      | $node/ancestor::ref[f:href(@target) != ''] | $node/ancestor::ptr
      | $node/ancestor::speaker[exists(f:register-id(../@who))])"/>
  </xsl:function>

  <xsl:function name="f:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="normalize-space(string-join($nodes/descendant-or-self::text()
      [not(ancestor::note[@place = 'foot' or @type = 'annotation'])][not(ancestor::sic | ancestor::orig)], ''))"/>
  </xsl:function>
</xsl:stylesheet>
