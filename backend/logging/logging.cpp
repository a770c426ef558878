#include "logging.h"

#include <mutex>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace rwd::logging {

namespace {

struct Shared
{
    std::mutex mutex;
    std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
    spdlog::level::level_enum level = spdlog::level::info;
};

Shared &shared()
{
    static Shared s;
    return s;
}

} // namespace

std::shared_ptr<spdlog::logger> get(const char *component)
{
    auto &s = shared();
    std::lock_guard lock(s.mutex);
    if (auto existing = spdlog::get(component))
        return existing;
    auto logger = std::make_shared<spdlog::logger>(component, s.sinks.begin(), s.sinks.end());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
    logger->set_level(s.level);
    spdlog::register_logger(logger);
    return logger;
}

void addSink(const spdlog::sink_ptr &sink)
{
    auto &s = shared();
    std::lock_guard lock(s.mutex);
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e %-5l [%n] %v");
    s.sinks.push_back(sink);
    spdlog::apply_all(
        [&](const std::shared_ptr<spdlog::logger> &l) { l->sinks().push_back(sink); });
}

std::optional<spdlog::level::level_enum> parseLevel(const QString &name)
{
    const auto level = spdlog::level::from_str(name.toStdString());
    // from_str answers "off" for anything it does not know.
    if (level == spdlog::level::off && name != u"off")
        return std::nullopt;
    return level;
}

bool setLevel(const QString &name)
{
    const auto level = parseLevel(name);
    if (!level)
        return false;
    auto &s = shared();
    std::lock_guard lock(s.mutex);
    s.level = *level;
    spdlog::apply_all([&](const std::shared_ptr<spdlog::logger> &l) { l->set_level(*level); });
    return true;
}

} // namespace rwd::logging
