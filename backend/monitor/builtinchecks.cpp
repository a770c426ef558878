#include "check.h"
#include "checks/command/commandcheck.h"
#include "checks/http/httpcheck.h"
#include "checks/prometheus/prometheuscheck.h"
#include "checks/scrape/scrapecheck.h"
#include "checks/signal/signalcheck.h"
#include "checks/sql/sqlcheck.h"
#include "checks/system/systemcheck.h"
#include "checks/tcp/tcpcheck.h"

namespace rwd::monitor {

CheckRegistry builtinChecks()
{
    CheckRegistry registry;
    registry.add(QStringLiteral("http"), &HttpCheck::create);
    registry.add(QStringLiteral("tcp"), &TcpCheck::create);
    registry.add(QStringLiteral("command"), &CommandCheck::create);
    registry.add(QStringLiteral("system"), &SystemCheck::create);
    registry.add(QStringLiteral("sql"), &SqlCheck::create);
    registry.add(QStringLiteral("scrape"), &ScrapeCheck::create);
    registry.add(QStringLiteral("prometheus"), &PrometheusCheck::create);
    registry.add(QStringLiteral("signal"), &SignalCheck::create);
    return registry;
}

} // namespace rwd::monitor
