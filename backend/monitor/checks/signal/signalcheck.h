#pragma once

#include "common/result.h"
#include "monitor/check.h"

#include <QJsonObject>

#include <variant>

namespace rwd::monitor {

// `type: signal` — a passive check: nothing is probed; samples are pushed to rewindd through
// POST /api/v1/signals by whatever knows something Rewind cannot measure itself (a security
// scanner, a business pipeline, a load balancer). Its fields are declared in the configuration,
// each a gauge, a counter or a histogram, so rules over them are checked at load time like any
// other.
class SignalCheck final : public Check
{
public:
    explicit SignalCheck(QList<FieldSpec> fields);

    void probe(Done done) override;
    void cancel() override {}
    [[nodiscard]] QList<FieldSpec> fields() const override { return m_fields; }
    [[nodiscard]] QString defaultField() const override;
    [[nodiscard]] bool passive() const override { return true; }

    // Turns a pushed JSON object into a sample at `timeMs`: {"ok": bool (default true),
    // "error": "...", "fields": {name: number | {"value", "increment", "seconds",
    // "distribution": [[value, weight], …]}}}. Unknown fields and wrong types are refused with
    // a message; nothing is half-applied.
    [[nodiscard]] Result<Sample> sampleFrom(const QJsonObject &signal, qint64 timeMs) const;

    static std::unique_ptr<Check> create(config::MapReader &options,
                                         const config::CheckConfig &common,
                                         const CheckRuntime &runtime);

private:
    QList<FieldSpec> m_fields;
};

} // namespace rwd::monitor
