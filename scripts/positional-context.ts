// A rewrite of Ajv's standalone code for generated/validators.js and explainers.cjs (see precompile-validators.ts). Ajv
// passes a called validator its context as one object, `validate3(data.x, {instancePath, parentData: data,
// parentDataProperty: "x", rootData, dynamicAnchors})`, so every `$ref` that is followed allocates one (five per chunk
// of a stream). The same five values passed as arguments cost no allocation. The code is Ajv 8's (the pinned version):
// a definition or a call in another form makes generate fail instead of leaving a validator half rewritten.

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
/** The data argument: `data`, `data.x`, `data0[i1]`, `data["a-b"]`. */
const ARG = String.raw`(?:${STRING}|\[(?:${STRING}|[^\]"])*\]|[^,(){}"\[\]])+`;
/** One context value: `data0`, `"x"`, `i1`, `instancePath+"/x/" + i0`. */
const VALUE = `(?:${STRING}|[^,(){}"])+`;
const NAMES = ["instancePath", "parentData", "parentDataProperty", "rootData", "dynamicAnchors"] as const;

const DEFINITION = new RegExp(
  String.raw`function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data, ` +
    String.raw`dynamicAnchors=\{\}\}=\{\}\)`,
  "g",
);
const CALL = new RegExp(
  String.raw`\b(validate\d+|wrapper\d+\.validate)\((${ARG}), \{` +
    NAMES.map((n) => `${n}(?::(${VALUE}))?`).join(",") +
    String.raw`\}\)`,
  "g",
);

/** `code` with every validator taking its context as five arguments, and every call passing them so. */
export function positionalContext(code: string): string {
  const defined = new Set<string>();
  let out = code.replace(DEFINITION, (_m, name: string) => {
    defined.add(name);
    return `function ${name}(data, instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={})`;
  });
  out = out.replace(CALL, (m, name: string, arg: string, ...values: (string | undefined)[]) => {
    // A recursive `$ref` calls through `wrapperN.validate`, which is one of the validators defined here.
    if (!name.startsWith("wrapper") && !defined.has(name))
      throw new Error(`positionalContext: a call of ${name}, not defined here: ${m}`);
    return `${name}(${arg}, ${NAMES.map((n, i) => values[i] ?? n).join(", ")})`;
  });
  // Ajv's error objects start `[{instancePath` or `= {instancePath`; `, {instancePath` is only ever a context.
  const left = /function validate\d+\(data, \{|, \{instancePath\b/.exec(out);
  if (left) throw new Error(`positionalContext: Ajv code in a form not rewritten: ${left[0].slice(0, 200)}`);
  return out;
}
