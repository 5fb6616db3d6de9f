#include "fleet/BundleDigest.h"

#include <QCryptographicHash>
#include <QFile>

namespace swarm {

QString bundleDigest(const ScenarioBundle& bundle)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QFile scenario(bundle.scenario.file);
    if (scenario.open(QIODevice::ReadOnly)) hash.addData(scenario.readAll());
    hash.addData(QByteArrayLiteral("\0module\0"));
    hash.addData(bundle.module.source.toUtf8());
    return QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace swarm
