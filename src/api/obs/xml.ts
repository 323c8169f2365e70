// The little XML OBS speaks: answers read by element name (namespaces ignored, empty elements and stray
// whitespace tolerated), and request bodies written with every special character escaped.

import { parseXml, XmlElement } from '@rgrove/parse-xml';

/** A parsed element: its name, its direct child elements and its text. */
export interface ObsXmlNode {
  name: string;
  children: ObsXmlNode[];
  /** The element's text content (all descendant text), untrimmed. */
  text: string;
}

function toNode(element: XmlElement): ObsXmlNode {
  const children: ObsXmlNode[] = [];
  for (const child of element.children) if (child instanceof XmlElement) children.push(toNode(child));
  return { name: localName(element.name), children, text: element.text };
}

/** `obs:Key` and `Key` are the same element to us: OBS answers with a default namespace, S3 tools with prefixes. */
function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The document's root element; throws (the parser's error) when the text is not well-formed XML. */
export function parseObsXml(text: string): ObsXmlNode {
  const document = parseXml(text.replace(/^\uFEFF/, ''), { ignoreUndefinedEntities: true });
  const root = document.root;
  if (!root) throw new Error('The XML document has no root element.');
  return toNode(root);
}

/** The direct children named `name`. */
export function xmlChildren(node: ObsXmlNode | undefined, name: string): ObsXmlNode[] {
  return node ? node.children.filter((child) => child.name === name) : [];
}

/** The first direct child named `name`. */
export function xmlChild(node: ObsXmlNode | undefined, name: string): ObsXmlNode | undefined {
  return node?.children.find((child) => child.name === name);
}

/** The trimmed text of the first child named `name`; undefined when absent, '' when empty (`<Prefix/>`). */
export function xmlText(node: ObsXmlNode | undefined, name: string): string | undefined {
  const child = xmlChild(node, name);
  return child === undefined ? undefined : child.text.trim();
}

/** XML 1.0 cannot carry these characters at all, not even as references. */
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Whether `text` can be written in an XML 1.0 document (escaped). */
export function xmlCanCarry(text: string): boolean {
  return !XML_FORBIDDEN.test(text);
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text for an element or attribute value: `& < > " '` escaped; carriage returns kept as references. */
export function escapeObsXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (ch) => ESCAPES[ch] ?? '&#13;');
}
