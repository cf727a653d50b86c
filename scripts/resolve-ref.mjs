// Follows local `$ref`s (`#/components/...`) inside one bundle document, up to 16 links; shared by the bundle views.
export function resolveRef(doc, node) {
  let cur = node;
  for (let i = 0; i < 16 && typeof cur?.$ref === "string"; i++) {
    cur = cur.$ref
      .slice(2)
      .split("/")
      .reduce((o, k) => o?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  }
  return cur;
}
