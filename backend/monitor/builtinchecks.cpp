#include "check.h"
#include "checks/http/httpcheck.h"

namespace rwd::monitor {

CheckRegistry builtinChecks()
{
    CheckRegistry registry;
    registry.add(QStringLiteral("http"), &HttpCheck::create);
    return registry;
}

} // namespace rwd::monitor
