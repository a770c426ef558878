#pragma once

#include <QString>

#include <memory>
#include <optional>
#include <spdlog/spdlog.h>

namespace rwd::logging {

// The logger of one component ("monitor", "rules", "orchestrator", …), created on first use.
// Every logger writes one line per event to stderr: time, level, component, message.
[[nodiscard]] std::shared_ptr<spdlog::logger> get(const char *component);

// Adds a sink to every logger, present and future (besides stderr): tests read what was logged.
void addSink(const spdlog::sink_ptr &sink);

// Sets the level of every logger, present and future. Returns false for an unknown name.
bool setLevel(const QString &name);

// trace, debug, info, warn, error, critical, off.
[[nodiscard]] std::optional<spdlog::level::level_enum> parseLevel(const QString &name);

} // namespace rwd::logging

// Lets QString be logged directly: log->info("service {}", name).
template<>
struct fmt::formatter<QString> : fmt::formatter<std::string_view>
{
    template<typename FormatContext>
    auto format(const QString &s, FormatContext &ctx) const
    {
        const auto utf8 = s.toUtf8();
        return fmt::formatter<std::string_view>::format(
            std::string_view(utf8.constData(), std::size_t(utf8.size())), ctx);
    }
};
