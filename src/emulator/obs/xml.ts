import { XmlElement, parseXml } from '@rgrove/parse-xml';

// OBS speaks XML: the answers built here (escaped, with the service's namespace) and the request bodies read
// with @rgrove/parse-xml, which expands no entities; anything it cannot read is 400 MalformedXML.

/** Escapes `& < > " '` and every control character XML 1.0 cannot carry as is. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case "'":
        return '&apos;';
      default:
        // A control character has no literal form in XML 1.0: written as a character reference (a listing
        // asked with encoding-type=url carries such keys percent-encoded instead).
        return `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`;
    }
  });
}

/** A child element: a name and its text, or its own children; undefined children are left out. */
export type XmlChild = readonly [string, string | number | boolean | readonly XmlChild[]] | undefined;

/** `<name>…</name>` with escaped text, or nested children. */
export function element(name: string, content: string | number | boolean | readonly XmlChild[]): string {
  if (typeof content === 'string') return `<${name}>${escapeXml(content)}</${name}>`;
  if (typeof content === 'number' || typeof content === 'boolean') return `<${name}>${String(content)}</${name}>`;
  return `<${name}>${children(content)}</${name}>`;
}

export function children(list: readonly XmlChild[]): string {
  return list.map((child) => (child ? element(child[0], child[1]) : '')).join('');
}

/** A whole document: the declaration and a root carrying the service's namespace. */
export function xmlDocument(root: string, region: string, content: readonly XmlChild[]): Buffer {
  const xmlns = `http://obs.${region}.myhuaweicloud.com/doc/2015-06-30/`;
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${root} xmlns="${xmlns}">${children(content)}</${root}>`, 'utf8');
}

/** The error body of every failure (no namespace, as the service's examples have it). */
export function errorDocument(code: string, message: string, requestId: string, hostId: string, resource: string, extra: readonly XmlChild[] = []): Buffer {
  const content: XmlChild[] = [['Code', code], ['Message', message], ['Resource', resource], ['RequestId', requestId], ['HostId', hostId], ...extra];
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${element('Error', content)}`, 'utf8');
}

/** A request body's root element, or undefined when it is not well-formed XML. */
export function parseXmlRoot(body: Buffer): XmlElement | undefined {
  try {
    return parseXml(body.toString('utf8')).root ?? undefined;
  } catch {
    return undefined;
  }
}

/** The child elements named `name`. */
export function childElements(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c): c is XmlElement => c instanceof XmlElement && c.name === name);
}

/** The text of the first child named `name`, or undefined. */
export function childText(parent: XmlElement, name: string): string | undefined {
  return childElements(parent, name)[0]?.text;
}
