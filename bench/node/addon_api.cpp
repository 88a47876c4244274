// addon_api.cpp — benchlib bound by hand with node-addon-api (the C++ wrapper most Node addons use):
// an ObjectWrap class and plain functions, with the type checks a careful author writes.
// Built with C++ exceptions off (NAPI_DISABLE_CPP_EXCEPTIONS), node-addon-api's cheaper mode.
#include <napi.h>

extern "C" {
#include "benchlib.h"
}

namespace {

Napi::Value Noop(const Napi::CallbackInfo& info) {
  bench_noop();
  return info.Env().Undefined();
}

Napi::Value DoubleInput(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "expected an int").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, bench_double_input(info[0].As<Napi::Number>().Int32Value()));
}

Napi::Value StrLen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "expected a string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // What node-addon-api offers: a std::string copy (Utf8Value).
  std::string s = info[0].As<Napi::String>().Utf8Value();
  return Napi::Number::New(env, static_cast<double>(bench_strlen(s.c_str())));
}

class Counter : public Napi::ObjectWrap<Counter> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Counter",
                       {InstanceMethod<&Counter::Add>("add"), InstanceMethod<&Counter::Bytes>("bytes"),
                        InstanceMethod<&Counter::Close>("close")});
  }

  explicit Counter(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Counter>(info), c_(bench_counter_new()) {}
  ~Counter() override { bench_counter_free(c_); }

 private:
  bool Open(Napi::Env env) {
    if (c_) return true;
    Napi::Error::New(env, "Counter is closed").ThrowAsJavaScriptException();
    return false;
  }

  Napi::Value Add(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Open(env)) return env.Undefined();
    if (info.Length() != 1 || !info[0].IsNumber()) {
      Napi::TypeError::New(env, "expected an int").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    return Napi::Number::New(env, bench_counter_add(c_, info[0].As<Napi::Number>().Int32Value()));
  }

  Napi::Value Bytes(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!Open(env)) return env.Undefined();
    size_t len = 0;
    const uint8_t* p = bench_counter_bytes(c_, &len);
    // Zero-copy, kept alive by nothing: what most hand-written addons do (unsafe after close()).
    auto ab = Napi::ArrayBuffer::New(env, const_cast<uint8_t*>(p), len);
    return Napi::Uint8Array::New(env, len, ab, 0);
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    bench_counter_free(c_);
    c_ = nullptr;
    return info.Env().Undefined();
  }

  bench_counter* c_;
};

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("noop", Napi::Function::New<Noop>(env, "noop"));
  exports.Set("doubleInput", Napi::Function::New<DoubleInput>(env, "doubleInput"));
  exports.Set("strlen", Napi::Function::New<StrLen>(env, "strlen"));
  exports.Set("Counter", Counter::Define(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(addon_api, Init)
