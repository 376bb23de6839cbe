// The search page: queries the Pagefind index (pagefind/) through Pagefind's JavaScript API
// and lists the pages found, with an excerpt. Works over http(s), not from file://.
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let pagefind = null;

// The index comes in bundles (see edition/builders/search_index.py): the one the site's
// other pages are in, which this page loads, and the documents' bundles, merged into it.
async function load() {
  const primary = await import("../pagefind/pagefind.js");
  const response = await fetch(new URL("search-bundles.json", location.href));
  const bundles = response.ok ? await response.json() : [];
  for (const bundle of bundles) {
    await primary.mergeIndex(new URL(bundle + "/", location.href).href);
  }
  return primary;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  try {
    pagefind = pagefind || await load();
  } catch (e) {
    status.textContent = "Search is not available here: serve the site over http to search it.";
    return;
  }
  const search = await pagefind.search(query);
  const found = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
  status.textContent = found.length ? `${search.results.length} page(s) found.` : "Nothing found.";
  for (const page of found) {
    const item = document.createElement("li");
    item.className = "search-result";
    const link = document.createElement("a");
    link.href = page.url.replace(/^\//, "");
    link.textContent = (page.meta && page.meta.title) || page.url;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = page.excerpt;  // Pagefind escapes the page text; only <mark> is markup
    item.append(link, excerpt);
    list.append(item);
  }
}

document.querySelector("form.search").addEventListener("submit", (event) => {
  event.preventDefault();
  history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
  run(input.value);
});
const initial = new URLSearchParams(location.search).get("q");
if (initial) { input.value = initial; run(initial); }
