#include "logging.h"

#include <QtGlobal>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace rwd::fleet {

namespace {

void forwardQtMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const char *category = context.category ? context.category : "qt";
    switch (type) {
    case QtDebugMsg:
        spdlog::debug("[{}] {}", category, qUtf8Printable(message));
        break;
    case QtInfoMsg:
        spdlog::info("[{}] {}", category, qUtf8Printable(message));
        break;
    case QtWarningMsg:
        spdlog::warn("[{}] {}", category, qUtf8Printable(message));
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        spdlog::error("[{}] {}", category, qUtf8Printable(message));
        break;
    }
}

} // namespace

std::optional<spdlog::level::level_enum> parseLogLevel(const QString &name)
{
    if (name == QLatin1String("trace"))
        return spdlog::level::trace;
    if (name == QLatin1String("debug"))
        return spdlog::level::debug;
    if (name == QLatin1String("info"))
        return spdlog::level::info;
    if (name == QLatin1String("warn"))
        return spdlog::level::warn;
    if (name == QLatin1String("error"))
        return spdlog::level::err;
    return std::nullopt;
}

void setupLogging(spdlog::level::level_enum level)
{
    auto logger = spdlog::get("rewind-fleet");
    if (!logger)
        logger = spdlog::stderr_color_mt("rewind-fleet");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v");
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    qInstallMessageHandler(forwardQtMessage);
}

} // namespace rwd::fleet
