#include "scenario/ScenarioBundle.h"

#include <QCryptographicHash>

namespace swarm {

QString ScenarioBundle::digest() const
{
    // Each text with its length first, so that no two pairs of texts hash the same bytes.
    const QByteArray module = this->module.source.toUtf8();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArray::number(scenarioSource.size()) + '\n');
    hash.addData(scenarioSource);
    hash.addData(QByteArray::number(module.size()) + '\n');
    hash.addData(module);
    return QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace swarm
