#pragma once

#include <QString>
#include <QVariantMap>

namespace swarm {

// The scratch JavaScript engine that reads protocol modules: acorn (a maintained ECMAScript
// parser, embedded from its package at build time; cmake/Acorn.cmake) and ModuleReader.js (what
// swarm needs from acorn's syntax tree). One per thread, made on first use and kept: loading
// acorn costs tens of milliseconds, reading a module a few. The engines that run the load never
// load any of it.
class AcornEngine
{
public:
    // ModuleReader.js's answer for `source`: {problems, functions, values, findings}; positions
    // are offsets into `source`. A failure of the engine itself comes back as one problem.
    static QVariantMap read(const QString& source);
};

} // namespace swarm
