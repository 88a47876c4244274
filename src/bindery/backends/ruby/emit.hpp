// The emit functions of the Ruby backend, one file each; generate.cpp calls them in order.
#pragma once

#include <string>
#include <vector>

#include "bindery/backends/ruby/context.hpp"

namespace bindery::backends::ruby {

/// The hidden Length param receiving the count of output text/bytes/slice `p` (its `size`), or nullptr.
const ir::Param* output_length(const ir::Function& fn, const ir::Param& p);
/// Output parameters that only carry a length or a written count (hidden from Ruby).
std::vector<std::string> hidden_outputs(const ir::Function& fn);
/// A Capacity parameter the caller passes (its Buffer's capacity is the parameter itself).
bool capacity_from_host(const ir::Function& fn, const ir::Param& p);
/// The Self param of a pinned handle's method whose buffers travel in its fields, or nullptr.
const ir::Param* field_buffers_self(const ir::Function& fn);
/// The Bytes argument a Ruby caller passes for a field-buffer method's input (not a C param).
const ir::Param& field_input_param();
/// A constructor's Self param: the pinned storage it initialises in place (nullptr otherwise).
const ir::Param* constructed_self(const ir::Function& fn);
/// The parameters a Ruby caller passes, in order (inputs, in/out initial values, capacities).
std::vector<const ir::Param*> host_params(const ir::Function& fn);
/// Fixed arity (the argument count), or -1 when trailing arguments have defaults.
int method_arity(const ir::Function& fn);
/// Number of leading host parameters without a default.
int required_params(const ir::Function& fn);
/// Whether the backend can bind this function; otherwise `why` says what is missing.
bool supported(const Context& ctx, const ir::Function& fn, std::string& why);
/// The destructor function of a handle that becomes its `close` method (nullptr: use `destroy`).
const ir::Function* close_function(const Context& ctx, const ir::Handle& h);

/// The handle a constructor gives (its return value, or an owned out-parameter); nullptr otherwise.
const ir::Type* constructed_handle(const ir::Function& fn);
/// Whether the call runs without the GVL (`blocking: true`, and no callback into Ruby).
bool releases_gvl(const ir::Function& fn);

void emit_function(const Context& ctx, const ir::Function& fn, Code& code);
/// Whether `fn` (a method returning bytes borrowed from its receiver until the receiver goes) also
/// gets a `<name>_view` twin returning a read-only <Module>::View over the C memory, detached when
/// the receiver is closed (docs/adr/ruby-borrowed-views.md).
bool offers_view(const ir::Function& fn);
/// Whether any bound function offers a view: the extension then defines <Module>::View.
bool offers_views(const std::vector<const ir::Function*>& bound);
void emit_default_close(const Context& ctx, const ir::Handle& h, Code& code);

void emit_handle_types(const Context& ctx, Code& code);
void emit_records(const Context& ctx, Code& code);
void emit_enums(const Context& ctx, Code& code);
void emit_init(const Context& ctx, const std::vector<const ir::Function*>& bound, Code& code);

std::string emit_rbs(const Context& ctx, const std::vector<const ir::Function*>& bound);

}  // namespace bindery::backends::ruby
