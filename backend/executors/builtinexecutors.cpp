#include "command/commandexecutor.h"
#include "command/presets.h"
#include "database/postgresexecutor.h"
#include "database/sqliteexecutor.h"
#include "executor.h"
#include "http/httpexecutor.h"
#include "nginx/nginxexecutor.h"

namespace rwd::executors {

ExecutorRegistry builtinExecutors()
{
    ExecutorRegistry registry;
    registry.add(QStringLiteral("nginx"), &NginxExecutor::create);
    registry.add(QStringLiteral("command"), &CommandExecutor::create);
    registry.add(QStringLiteral("http"), &HttpExecutor::create);
    registry.add(QStringLiteral("kubernetes"), &createKubernetesExecutor);
    registry.add(QStringLiteral("docker"), &createDockerExecutor);
    registry.add(QStringLiteral("systemd"), &createSystemdExecutor);
    registry.add(QStringLiteral("sqlite"), &SqliteExecutor::create);
    registry.add(QStringLiteral("postgres"), &PostgresExecutor::create);
    return registry;
}

} // namespace rwd::executors
