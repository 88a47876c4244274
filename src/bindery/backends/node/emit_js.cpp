// index.js: the package's public API. Classes hold a handle id in a private field (`#h`), so only
// the class's own code can read it, a brand check refuses objects of any other class, and close()
// can empty it. Functions that pass no handles are the native functions themselves (no trampoline).
#include <fmt/format.h>

#include "bindery/backends/node/emit.hpp"
#include "bindery/backends/node/names.hpp"

namespace bindery::backends::node {

namespace {

const char* kPrelude = R"JS(
const $adopt = Symbol('bindery.adopt');
// Owned handles not closed explicitly are destroyed when collected. The registry holds a cell with
// the id, which close() empties: cheaper than an unregister token (V8 hashes the token on register
// and searches for it on unregister: half of a create+close cycle, measured with callgrind).
const $registry = new FinalizationRegistry((cell) => {
  if (cell.id !== 0) native.$release(cell.id, true);  // deferred while an …Async call uses it
});
// A registered object survives every minor GC (V8's scavenger keeps registry targets) until a full
// one, so a short-lived object must not be registered: new owned objects wait here, held strongly,
// and are registered if still open at the next microtask checkpoint or when 64 are waiting, whichever
// comes first. One closed before then is never registered (docs/adr/node-deferred-registration.md).
const $track = Symbol('bindery.track');
const $young = new Array(64).fill(undefined);
let $nyoung = 0;
let $flushQueued = false;
function $flushYoung() {
  const n = $nyoung;
  $nyoung = 0;
  for (let i = 0; i < n; i++) {
    const o = $young[i];
    $young[i] = undefined;
    o[$track]();
  }
}
function $flushLater() {
  $flushQueued = false;
  $flushYoung();
}
function $adopted(o) {
  if ($nyoung === 64) $flushYoung();
  $young[$nyoung++] = o;
  if (!$flushQueued) {
    $flushQueued = true;
    queueMicrotask($flushLater);
  }
}
// A borrowed byte view keeps its owner alive: the owner is reachable from the view's ArrayBuffer.
const $views = new WeakMap();
const $dispose = Symbol.dispose ?? Symbol.for('nodejs.dispose');

function $arity(what, lo, hi, n) {
  const want = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : `${lo} to ${hi} arguments`;
  const e = new TypeError(`${what}: expected ${want}, got ${n}`);
  e.code = 'ERR_INVALID_ARG_COUNT';
  throw e;
}

function $notA(what, name, cls, v) {
  const got = v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'object') : typeof v;
  const e = new TypeError(`${what}: argument '${name}' must be a ${cls}, got ${got}`);
  e.code = 'ERR_INVALID_ARG_TYPE';
  throw e;
}

// The same borrowed bytes come back over the same ArrayBuffer (bn_bytes_view): tied once.
// Library errors with a builtin meaning: `kind` says which ('invalid_argument', 'out_of_range').
const $kindedErrors = new WeakSet();
function $kinded(e, code, kind) {
  e.code = code;
  e.kind = kind === 1 ? 'invalid_argument' : 'out_of_range';
  $kindedErrors.add(e);
  return e;
}
const $isKinded = (o) => typeof o === 'object' && o !== null && $kindedErrors.has(o);

function $tie(view, owner) {
  if (view !== null && view.byteLength !== 0) {
    const buffer = view.buffer;
    if ($views.get(buffer) !== owner) $views.set(buffer, owner);
  }
  return view;
}
)JS";

// Field buffers come first (after the receiver): the input bytes, then the output capacity.
std::vector<std::string> field_buffer_params(const FnPlan& f) {
  std::vector<std::string> names;
  if (f.field_buffers && !f.field_buffers->in_pointer.empty()) names.push_back("input");
  if (f.field_buffers && !f.field_buffers->out_pointer.empty()) names.push_back("capacity");
  return names;
}

std::string params_list(const FnPlan& f) {
  std::string s;
  for (const auto& n : field_buffer_params(f)) s += (s.empty() ? "" : ", ") + n;
  for (const auto* in : f.inputs) s += (s.empty() ? "" : ", ") + host_name(*f.fn, *in);
  return s;
}

std::string arity_check(const FnPlan& f, bool async) {
  size_t lo = f.required + f.field_buffer_args(), hi = f.inputs.size() + f.field_buffer_args();
  std::string cond = lo == hi ? fmt::format("arguments.length !== {}", lo)
                              : fmt::format("arguments.length < {} || arguments.length > {}", lo, hi);
  return fmt::format("    if ({}) $arity({}, {}, {}, arguments.length);\n", cond,
                     js_string(f.what + (async ? "Async" : "")), lo, hi);
}

class JsEmitter {
 public:
  explicit JsEmitter(const ModulePlan& plan) : plan_(plan) {}

  // The expression that calls the native function, arguments converted (handles -> ids).
  std::string call(const FnPlan& f, bool async = false) const {
    std::string args;
    if (f.self) args = "this.#h";
    for (const auto& n : field_buffer_params(f)) args += (args.empty() ? "" : ", ") + n;
    for (const auto* in : f.inputs) {
      std::string a = host_name(*f.fn, *in);
      if (in->type.kind == ir::TypeKind::Handle)
        a = fmt::format("${}_id({}, {}, {}, {})", in->type.name, a, js_string(f.what), js_string(a),
                        in->nullable ? "true" : "false");
      args += (args.empty() ? "" : ", ") + a;
    }
    return fmt::format("{}native.{}{}({})", async ? "await " : "", f.native_name, async ? "$async" : "", args);
  }

  // The JS object a borrow comes from: `this` or the argument named by `from`.
  std::string owner_of(const FnPlan& f, const std::string& from) const {
    if (f.self && (from.empty() || from == f.self->name)) return "this";
    for (const auto* in : f.inputs)
      if (in->name == from) return js_local(in->name);
    return "undefined";
  }

  // An owned handle of a class with a `parent` keeps that parent's JS object alive.
  std::string parent_of(const FnPlan& f, const ir::Type& t) const {
    const ir::Handle* h = plan_.module->find_handle(t.name);
    if (!h || h->parent.empty()) return "undefined";
    if (f.self && f.self->type.name == h->parent) return "this";
    for (const auto* in : f.inputs)
      if (in->type.kind == ir::TypeKind::Handle && in->type.name == h->parent) return js_local(in->name);
    return "undefined";
  }

  // Post-processing of one native result value (wrap handle ids, tie views to owners).
  std::string wrap(const FnPlan& f, const ir::Type& t, const ir::Lifetime& l, const std::string& v) const {
    if (t.kind == ir::TypeKind::Handle) {
      bool owned = l.own == ir::Own::Owned;
      std::string owner = owned ? parent_of(f, t) : owner_of(f, l.from);
      return fmt::format("${}_wrap({}, {}, {})", t.name, v, owned ? "true" : "false", owner);
    }
    if ((t.kind == ir::TypeKind::Bytes || t.kind == ir::TypeKind::Slice) && l.own == ir::Own::Borrowed &&
        l.until == ir::Until::Owner)
      return fmt::format("$tie({}, {})", v, owner_of(f, l.from));
    return "";
  }

  // `async`: the body of the `…Async` variant (an async function: every error is a rejection).
  std::string body(const FnPlan& f, bool async = false) const {
    std::string s = arity_check(f, async);
    std::vector<std::pair<std::string, std::string>> post;  // key, wrapped expression
    for (const auto& r : f.results) {
      if (r.param && f.fn->returns_length.kind == ir::Length::Kind::OutParam &&
          f.fn->returns_length.value == r.param->name)
        continue;
      const ir::Type& t = r.param ? r.param->type : f.fn->returns;
      const ir::Lifetime& l = r.param ? r.param->lifetime : f.fn->returns_lifetime;
      std::string key = r.js_name;
      post.push_back({key, wrap(f, t, l, "$r" + (f.results.size() > 1 ? "." + key : std::string()))});
    }
    std::vector<std::string> consumed;
    // A receiver the call consumed is emptied once the call returned (it threw otherwise: on a
    // consumed_on_success failure the object stays open and usable).
    if (f.self && f.self->type.kind == ir::TypeKind::Handle && f.self->lifetime.own == ir::Own::Consumed)
      consumed.push_back(fmt::format("    ${}_forget(this);\n", f.self->type.name));
    for (const auto* in : f.inputs)
      if (in->type.kind == ir::TypeKind::Handle && in->lifetime.own == ir::Own::Consumed)
        consumed.push_back(fmt::format("    if ({0} != null) ${1}_forget({0});\n", js_local(in->name), in->type.name));
    if (f.pinned_self)  // the new handle's id, wrapped as an owned object of the class
      return s + fmt::format("    return ${}_wrap({}, true, undefined);\n", f.pinned_self->type.name, call(f, async));
    bool any_post = false;
    for (const auto& p : post) any_post = any_post || !p.second.empty();
    if (!any_post && consumed.empty()) return s + "    return " + call(f, async) + ";\n";
    s += "    const $r = " + call(f, async) + ";\n";
    for (const auto& c : consumed) s += c;
    if (post.size() == 1 && !post[0].second.empty()) return s + "    return " + post[0].second + ";\n";
    for (const auto& p : post)
      if (!p.second.empty()) s += fmt::format("    $r.{} = {};\n", p.first, p.second);
    return s + "    return $r;\n";
  }

  // `new X(…)` fills the object the constructor was given when its one constructor returns an owned
  // X and nothing else, from at most four arguments (the constructor's named parameters): returning
  // `X.new(…)`'s object instead threw away the one `new` had allocated, a second object per create
  // (callgrind, create+close without the library's malloc: 1009 → 867 instructions).
  static bool builds_itself(const ClassPlan& c, const FnPlan& f) {
    if (f.field_buffer_args() != 0 || f.inputs.size() > 4 || f.results.size() != 1) return false;
    for (const auto* in : f.inputs)
      if (in->type.kind == ir::TypeKind::Handle && in->lifetime.own == ir::Own::Consumed) return false;
    if (f.pinned_self) return true;
    const ResultSlot& r = f.results[0];
    const ir::Type& t = r.param ? r.param->type : f.fn->returns;
    const ir::Lifetime& l = r.param ? r.param->lifetime : f.fn->returns_lifetime;
    return t.kind == ir::TypeKind::Handle && t.name == c.handle->name && l.own == ir::Own::Owned &&
           l.null != ir::NullMeaning::Absent;
  }

  // The body of such a constructor: its arguments are the named parameters $a0…$a3.
  std::string constructor_body(const FnPlan& f) const {
    std::string s = arity_check(f, false);
    std::string locals;
    for (size_t i = 0; i < f.inputs.size(); i++)
      locals += fmt::format("{}{} = $a{}", locals.empty() ? "" : ", ", host_name(*f.fn, *f.inputs[i]), i);
    if (!locals.empty()) s += "    const " + locals + ";\n";
    s += "    this.#h = " + call(f) + ";\n";
    if (!f.pinned_self) {
      std::string parent = parent_of(f, f.results[0].param ? f.results[0].param->type : f.fn->returns);
      if (parent != "undefined") s += "    this.#owner = " + parent + ";\n";
    }
    return s + "    $adopted(this);\n";
  }

  std::string emit_class(const ClassPlan& c) const {
    const std::string& n = c.handle->name;
    std::string s;
    if (!c.handle->doc.empty()) s += "/** " + c.handle->doc + " */\n";
    s += fmt::format("class {} {{\n", n);
    s += "  #h = 0;\n";
    s += "  #owner;\n";
    s += "  #cell = null;\n\n";
    // Named parameters, not `...args`: a rest array per object is measurable in create+close.
    s += "  constructor($a0, $a1, $a2, $a3) {\n";
    s += "    if ($a0 === $adopt) {\n";
    s += "      this.#h = $a1;\n";
    s += "      this.#owner = $a3;\n";
    s += "      if ($a2) $adopted(this);\n";
    s += "      return;\n";
    s += "    }\n";
    if (c.constructors.size() == 1 && builds_itself(c, c.constructors[0])) {
      s += constructor_body(c.constructors[0]);
    } else if (c.constructors.size() == 1) {
      s += fmt::format("    return {}.{}(...arguments);\n", n, c.constructors[0].js_name);
    } else {
      std::string alts;
      for (const auto& k : c.constructors) alts += (alts.empty() ? "" : " or ") + n + "." + k.js_name + "()";
      s += fmt::format("    throw new TypeError({});\n",
                       js_string(n + " cannot be constructed directly" + (alts.empty() ? "" : "; use " + alts)));
    }
    s += "  }\n\n";
    s += "  static {\n";
    s += fmt::format("    ${}_id = (o, what, name, nullable) => {{\n", n);
    s += "      if (o == null && nullable) return null;\n";
    s += fmt::format("      if (typeof o !== 'object' || o === null || !(#h in o)) $notA(what, name, '{}', o);\n", n);
    s += "      return o.#h;\n";
    s += "    };\n";
    s += fmt::format("    ${0}_wrap = (id, owned, owner) => (id === null ? null : new {0}($adopt, id, owned, owner));\n", n);
    s += fmt::format("    ${}_forget = (o) => {{\n", n);
    s += "      if (o.#cell !== null) o.#cell.id = 0;\n";
    s += "      o.#h = 0;\n";
    s += "    };\n";
    s += "  }\n";
    auto method = [&](const FnPlan& f, bool is_static) {
      std::string doc = f.fn->doc.empty() ? "" : "  /** " + f.fn->doc + " */\n";
      return fmt::format("\n{}  {}{}({}) {{\n{}  }}\n", doc, is_static ? "static " : "", f.js_name, params_list(f),
                         body(f));
    };
    // `…Async`: an async method, so argument errors reject too; awaiting keeps `this` reachable.
    auto async_method = [&](const FnPlan& f, bool is_static) {
      if (!f.has_async) return std::string();
      return fmt::format("\n  /** {} on the libuv pool: a Promise of its result. */\n  {}async {}Async({}) {{\n{}  }}\n",
                         f.js_name, is_static ? "static " : "", f.js_name, params_list(f), body(f, true));
    };
    for (const auto& f : c.constructors) s += method(f, true) + async_method(f, true);
    for (const auto& f : c.statics) s += method(f, true) + async_method(f, true);
    for (const auto& f : c.methods) s += method(f, false) + async_method(f, false);
    s += "\n  /** Releases the object now; later calls throw. Calling close() again does nothing. */\n";
    s += "  close() {\n";
    s += "    const h = this.#h;\n";
    s += "    if (h === 0) return;\n";
    s += "    native.$release(h);  // throws while an …Async call uses the object\n";
    s += "    this.#h = 0;\n";
    s += "    // The newest waiting object (create, use, close) leaves the waiting list at once: it would\n";
    s += "    // otherwise stay there until 64 had piled up ($flushYoung over closed objects).\n";
    s += "    if ($nyoung !== 0 && $young[$nyoung - 1] === this) $young[--$nyoung] = undefined;\n";
    s += "    if (this.#cell !== null) this.#cell.id = 0;\n";
    s += "  }\n\n";
    s += "  [$dispose]() {\n    this.close();\n  }\n\n";
    s += "  /** Registered for destruction on collection, unless closed while it waited ($adopted). */\n";
    s += "  [$track]() {\n";
    s += "    if (this.#h !== 0) {\n";
    s += "      this.#cell = { id: this.#h };\n";
    s += "      $registry.register(this, this.#cell);\n";
    s += "    }\n";
    s += "  }\n\n";
    s += "  /** True once close() was called, the object was consumed by a call, or its loan to a callback ended. */\n";
    s += "  get closed() {\n    return this.#h === 0 || !native.$alive(this.#h);\n  }\n";
    s += "}\n\n";
    return s;
  }

  std::string emit() const {
    const ir::Module& m = *plan_.module;
    std::string s;
    s += fmt::format("// JavaScript API of '{}', generated by bindery. Do not edit: regenerate.\n", m.library);
    s += "'use strict';\n\n";
    s += fmt::format("const native = require('./build/{}.node');\n", m.library);
    s += kPrelude;
    s += fmt::format("\n/** Errors reported by {} itself: `code` is the library's code, `errno` the system's. */\n",
                     m.library);
    s += fmt::format("class {} extends Error {{\n", plan_.error_class);
    s += "  constructor(message, code, errno, kind) {\n";
    s += "    // Error kinds (the native side passes 1 invalid argument, 2 out of range): a RangeError\n";
    s += "    // with the same `code`, which `instanceof` this class also accepts.\n";
    s += "    if (kind === 1 || kind === 2) return $kinded(new RangeError(message), code, kind);\n";
    s += "    super(message);\n";
    s += fmt::format("    this.name = '{}';\n", plan_.error_class);
    s += "    this.code = code;\n";
    s += "    if (errno !== undefined) this.errno = errno;\n";
    s += "    if (kind === 3) this.kind = 'no_memory';\n";
    s += "  }\n\n";
    s += "  static [Symbol.hasInstance](o) {\n";
    s += fmt::format("    return Function.prototype[Symbol.hasInstance].call(this, o) || (this === {} && $isKinded(o));\n",
                     plan_.error_class);
    s += "  }\n";
    s += "}\n";
    s += "\n";

    for (const auto& e : m.enums) {
      s += fmt::format("const {} = Object.freeze({{\n", e.name);
      for (const auto& v : e.values) s += fmt::format("  {}: {},\n", v.name, v.value);
      s += "});\n\n";
    }
    if (!plan_.classes.empty()) {
      s += "let ";
      for (size_t i = 0; i < plan_.classes.size(); i++) {
        const auto& n = plan_.classes[i].handle->name;
        s += fmt::format("{}${}_id, ${}_wrap, ${}_forget", i ? ", " : "", n, n, n);
      }
      s += ";\n\n";
    }
    for (const auto& c : plan_.classes) s += emit_class(c);
    // The error class native code throws, and each class's wrap by class id (handles lent to callbacks).
    std::string wraps = "null";
    for (const auto& c : plan_.classes) wraps += fmt::format(", ${}_wrap", c.handle->name);
    s += fmt::format("native.$init({}, [{}]);\n\n", plan_.error_class, wraps);

    for (const auto& f : plan_.functions) {
      if (f.has_async)
        s += fmt::format("/** {} on the libuv pool: a Promise of its result. */\nasync function ${}Async({}) {{\n{}}}\n\n",
                         f.js_name, f.js_name, params_list(f), body(f, true));
      if (!f.needs_js_wrapper) continue;
      if (!f.fn->doc.empty()) s += "/** " + f.fn->doc + " */\n";
      s += fmt::format("function ${}({}) {{\n{}}}\n\n", f.js_name, params_list(f), body(f));
    }

    s += "module.exports = {\n";
    s += fmt::format("  {},\n", plan_.error_class);
    for (const auto& e : m.enums) s += fmt::format("  {},\n", e.name);
    for (const auto& c : plan_.classes) s += fmt::format("  {},\n", c.handle->name);
    for (const auto& f : plan_.functions) {
      s += f.needs_js_wrapper ? fmt::format("  {0}: ${0},\n", f.js_name)
                              : fmt::format("  {}: native.{},\n", f.js_name, f.native_name);
      if (f.has_async) s += fmt::format("  {0}Async: ${0}Async,\n", f.js_name);
    }
    for (const auto& k : m.constants) {
      switch (k.kind) {
        case ir::Constant::Kind::Int:
          if (k.int_value > 9007199254740991LL || k.int_value < -9007199254740991LL)
            s += fmt::format("  {}: {}n,\n", k.name, k.int_value);
          else
            s += fmt::format("  {}: {},\n", k.name, k.int_value);
          break;
        case ir::Constant::Kind::Float: s += fmt::format("  {}: {},\n", k.name, k.float_value); break;
        case ir::Constant::Kind::String: s += fmt::format("  {}: {},\n", k.name, js_string(k.string_value)); break;
      }
    }
    s += "};\n";
    return s;
  }

 private:
  const ModulePlan& plan_;
};

}  // namespace

std::string emit_js(const ModulePlan& plan) { return JsEmitter(plan).emit(); }

}  // namespace bindery::backends::node
