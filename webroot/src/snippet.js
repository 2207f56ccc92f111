// A search result's snippet (docs/API.md, "Search") is HTML-escaped text in which only <mark> and
// </mark> are markup. It is split on those two tags first and each piece unescaped after, into
// text the page shows as text: nothing of it ever goes through innerHTML, and an escaped
// "&lt;mark&gt;" in a message stays the text "<mark>".

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

export function unescapeEntities(text) {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);
}

// [{text, marked}] in order, empty pieces left out.
export function snippetParts(snippet) {
  const parts = [];
  let marked = false;
  for (const piece of String(snippet ?? '').split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') marked = true;
    else if (piece === '</mark>') marked = false;
    else if (piece) parts.push({ text: unescapeEntities(piece), marked });
  }
  return parts;
}
