#include "executor.h"
#include "nginx/nginxexecutor.h"

namespace rwd::executors {

ExecutorRegistry builtinExecutors()
{
    ExecutorRegistry registry;
    registry.add(QStringLiteral("nginx"), &NginxExecutor::create);
    return registry;
}

} // namespace rwd::executors
