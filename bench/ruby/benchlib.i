/* SWIG interface of benchlib, for the comparison in bench.rb. */
%module swig_benchlib
%{
#include "benchlib.h"
%}
%include "stdint.i"
%include "benchlib.h"
