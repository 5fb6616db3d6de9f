#pragma once

#include <QByteArray>
#include <QString>

namespace swarm {

// Writes `data` to `path` all or nothing (a QSaveFile: the old file stays until the new one is
// complete). False with *error = "cannot write PATH: why". Reports, CSVs, scenarios and modules
// are all written this way.
bool saveFile(const QString& path, const QByteArray& data, QString* error);

} // namespace swarm
