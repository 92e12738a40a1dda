// palmaid API reference: renders /openapi.json (OpenAPI 3) as a browsable page. Self-contained
// (no library, no external resource; the page's CSP allows only this origin) and built with DOM
// calls only — the document's text is never parsed as HTML.
"use strict";

(function () {
  const METHODS = ["get", "post", "put", "patch", "delete"];

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else e.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === "") continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  // inline renders `code` spans of a line of text.
  function inline(text) {
    const out = [];
    String(text).split("`").forEach((part, i) => {
      if (part === "") return;
      out.push(i % 2 === 1 ? el("code", null, part) : part);
    });
    return out;
  }

  // prose renders a description: paragraphs, and "- " lines as a list.
  function prose(text) {
    const frag = document.createDocumentFragment();
    if (!text) return frag;
    let list = null;
    for (const line of String(text).split("\n")) {
      const t = line.trim();
      if (t.startsWith("- ")) {
        if (!list) { list = el("ul", { class: "codes" }); frag.append(list); }
        list.append(el("li", null, inline(t.slice(2))));
        continue;
      }
      list = null;
      if (t !== "") frag.append(el("p", null, inline(t)));
    }
    return frag;
  }

  function refName(ref) { return ref.split("/").pop(); }

  function resolve(doc, schema) {
    if (schema && schema.$ref) return doc.components.schemas[refName(schema.$ref)] || {};
    return schema || {};
  }

  function typeLabel(doc, schema) {
    if (!schema) return "";
    if (schema.$ref) return refName(schema.$ref);
    let t = schema.type || (schema.properties ? "object" : "");
    if (t === "array") t = "array<" + typeLabel(doc, schema.items) + ">";
    if (schema.format) t += " (" + schema.format + ")";
    if (schema.nullable) t += " | null";
    if (schema.enum) t += " ∈ {" + schema.enum.join(", ") + "}";
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      t = "map<string, " + typeLabel(doc, schema.additionalProperties) + ">";
    }
    return t;
  }

  // schemaTree renders an object's properties, nested objects and array items expanded,
  // each named schema at most once per branch (recursive types stop there).
  function schemaTree(doc, schema, seen) {
    seen = seen || new Set();
    const box = el("div", { class: "schema" });
    const name = schema && schema.$ref ? refName(schema.$ref) : null;
    if (name) {
      if (seen.has(name)) return box;
      seen = new Set(seen).add(name);
    }
    const s = resolve(doc, schema);
    if (s.type === "array") {
      box.append(el("span", { class: "type" }, typeLabel(doc, schema)));
      box.append(schemaTree(doc, s.items, seen));
      return box;
    }
    const props = s.properties || {};
    const required = new Set(s.required || []);
    if (Object.keys(props).length === 0) {
      if (!name) box.append(el("span", { class: "type" }, typeLabel(doc, s) || "object"));
      return box;
    }
    const ul = el("ul");
    for (const [p, ps] of Object.entries(props)) {
      const inner = resolve(doc, ps);
      const li = el("li", null,
        el("span", { class: "name" }, p), ": ",
        el("span", { class: "type" }, typeLabel(doc, ps)),
        required.has(p) ? el("span", { class: "req" }, " *") : "",
        (ps.description || inner.description) ? el("span", { class: "desc" }, " — ", inline(ps.description || inner.description)) : "");
      const nested = inner.type === "array" ? resolve(doc, inner.items) : inner;
      if (nested && (nested.properties || (inner.type === "array" && inner.items && inner.items.$ref))) {
        li.append(schemaTree(doc, inner.type === "array" ? inner.items : ps, seen));
      }
      ul.append(li);
    }
    box.append(ul);
    return box;
  }

  function params(doc, op, pathItem) {
    const list = [...(pathItem.parameters || []), ...(op.parameters || [])].map((p) => (p.$ref ? doc.components.parameters[refName(p.$ref)] : p));
    if (list.length === 0) return null;
    const tbody = el("tbody");
    for (const p of list) {
      tbody.append(el("tr", null,
        el("td", null, el("code", null, p.name)),
        el("td", null, p.in),
        el("td", null, p.required ? "是" : ""),
        el("td", null, typeLabel(doc, p.schema)),
        el("td", null, prose(p.description))));
    }
    return [el("h4", null, "参数"),
      el("table", null, el("thead", null, el("tr", null, el("th", null, "名称"), el("th", null, "位置"), el("th", null, "必填"), el("th", null, "类型"), el("th", null, "说明"))), tbody)];
  }

  function body(doc, op) {
    const rb = op.requestBody;
    if (!rb) return null;
    const out = [el("h4", null, "请求体" + (rb.required ? "（必填）" : ""))];
    for (const [ct, media] of Object.entries(rb.content || {})) {
      out.push(el("div", { class: "meta" }, ct, media.schema && media.schema.$ref ? " · " + refName(media.schema.$ref) : ""));
      if (media.schema) out.push(schemaTree(doc, media.schema));
    }
    return out;
  }

  function responses(doc, op, errors, opLabel) {
    const out = [el("h4", null, "响应")];
    const tbody = el("tbody");
    for (const [status, r] of Object.entries(op.responses || {})) {
      const cell = el("td", null, prose(r.description));
      for (const media of Object.values(r.content || {})) {
        if (!media.schema) continue;
        const n = media.schema.$ref ? refName(media.schema.$ref) : "";
        if (n === "Error") { cell.append(el("div", { class: "meta" }, "响应体：Error 信封")); continue; }
        if (n) cell.append(el("div", { class: "meta" }, "响应体：" + n));
        cell.append(schemaTree(doc, media.schema));
      }
      for (const m of String(r.description || "").matchAll(/`([a-z_]+\.[a-z_.]+|internal)`：([^\n]*)/g)) {
        const e = errors.get(m[1]) || { statuses: new Set(), ops: [], message: m[2] };
        e.statuses.add(status);
        e.ops.push(opLabel);
        errors.set(m[1], e);
      }
      tbody.append(el("tr", null, el("td", { class: "status s" + status[0] }, status), cell));
    }
    out.push(el("table", null, el("thead", null, el("tr", null, el("th", null, "状态"), el("th", null, "说明"))), tbody));
    return out;
  }

  function render(doc) {
    document.getElementById("title").textContent = (doc.info && doc.info.title ? doc.info.title : "API") + " 接口文档";
    document.title = document.getElementById("title").textContent;
    const main = document.getElementById("main");
    const toc = document.getElementById("toc");
    main.textContent = "";
    main.append(el("section", { class: "intro" }, prose(doc.info && doc.info.description)));

    const byTag = new Map((doc.tags || []).map((t) => [t.name, []]));
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const m of METHODS) {
        const op = item[m];
        if (!op) continue;
        const tag = (op.tags && op.tags[0]) || "other";
        if (!byTag.has(tag)) byTag.set(tag, []);
        byTag.get(tag).push({ path, method: m, op, item });
      }
    }
    const tagNames = { ops: "运维（健康检查、文档）", dev: "开发（仅嵌入模式）", mp: "居民端小程序 /mp/v1", staff: "工作人员端 /api/v1" };
    const errors = new Map();
    let count = 0;
    for (const [tag, ops] of byTag) {
      if (ops.length === 0) continue;
      ops.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method));
      const section = el("section", { class: "tag", id: "tag-" + tag }, el("h2", null, tagNames[tag] || tag));
      toc.append(el("h2", null, tagNames[tag] || tag));
      for (const { path, method, op, item } of ops) {
        const id = op.operationId || method + path;
        const label = method.toUpperCase() + " " + path;
        const article = el("article", { class: "op", id: id, "data-operation-id": id },
          el("h3", null, el("span", { class: "method m-" + method }, method.toUpperCase()), path,
            op.security && op.security.length ? el("span", { class: "lock", title: "需要 Authorization: Bearer 令牌" }, "需登录") : ""),
          el("p", { class: "summary" }, inline(op.summary || "")),
          el("div", { class: "meta" }, "operationId: ", el("code", null, id)),
          op.description ? prose(op.description) : "",
          params(doc, op, item), body(doc, op), responses(doc, op, errors, label));
        section.append(article);
        const link = el("a", { href: "#" + id, "data-search": (label + " " + (op.summary || "") + " " + id + " " + JSON.stringify(op.responses || {})).toLowerCase() },
          el("span", { class: "method m-" + method }, method.toUpperCase()), path);
        toc.append(link);
        count++;
      }
      main.append(section);
    }

    // Every error code, with its status and the operations that return it.
    const codes = [...errors.keys()].sort();
    const tbody = el("tbody");
    for (const c of codes) {
      const e = errors.get(c);
      tbody.append(el("tr", null, el("td", null, el("code", null, c)), el("td", null, [...e.statuses].sort().join(", ")),
        el("td", null, inline(e.message)), el("td", { class: "meta" }, String(e.ops.length) + " 个接口")));
    }
    main.append(el("section", { class: "tag", id: "errors" }, el("h2", null, "错误码（" + codes.length + "）"),
      el("p", null, "所有 4xx/5xx 响应体均为 Error 信封 ", el("code", null, '{"error":{"code","message","requestId","fields"}}'), "；客户端按 code 判断。"),
      el("table", null, el("thead", null, el("tr", null, el("th", null, "错误码"), el("th", null, "HTTP 状态"), el("th", null, "说明"), el("th", null, "出现于"))), tbody)));
    toc.append(el("h2", null, "参考"), el("a", { href: "#errors" }, "错误码（" + codes.length + "）"));
    document.body.setAttribute("data-operations", String(count));

    document.getElementById("filter").addEventListener("input", (ev) => {
      const q = ev.target.value.trim().toLowerCase();
      for (const a of toc.querySelectorAll("a[data-search]")) {
        const hit = q === "" || a.getAttribute("data-search").includes(q);
        a.classList.toggle("hidden", !hit);
        const art = document.getElementById(a.getAttribute("href").slice(1));
        if (art) art.classList.toggle("hidden", !hit);
      }
    });
    if (location.hash) {
      const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  function start() {
    fetch("/openapi.json", { headers: { Accept: "application/json" } })
      .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(render)
      .catch((err) => {
        document.getElementById("status").textContent = "无法加载 /openapi.json：" + err.message;
        document.body.setAttribute("data-error", err.message);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
