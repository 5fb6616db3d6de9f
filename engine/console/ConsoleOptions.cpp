#include "console/ConsoleOptions.h"

namespace swarm {

QString ConsoleOptions::securityProblem() const
{
    if (address.isLoopback() || !token.isEmpty() || insecure) return QString();
    return QStringLiteral("the console would listen on %1, which is not a loopback address: give "
                          "--console-token SECRET (sessions then need 'auth SECRET') or, to "
                          "accept anyone who can reach it, --console-insecure")
        .arg(address.toString());
}

} // namespace swarm
