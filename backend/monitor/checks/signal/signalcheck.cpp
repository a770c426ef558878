#include "signalcheck.h"

#include <QJsonArray>

#include <cmath>

namespace rwd::monitor {

namespace {

const QStringList kKinds{QStringLiteral("gauge"), QStringLiteral("counter"),
                         QStringLiteral("histogram")};
const QStringList kDimensions{QStringLiteral("number"), QStringLiteral("ratio"),
                              QStringLiteral("duration")};

// A pushed signal that does not fit the check's declaration: the pusher's mistake, so the API
// answers 400 with the reason.
Error invalidSignal(QString why)
{
    return Error{QStringLiteral("invalid_request"), std::move(why)};
}

rules::Dimension dimensionOf(const QString &name)
{
    if (name == u"ratio")
        return rules::Dimension::Ratio;
    if (name == u"duration")
        return rules::Dimension::Time;
    return rules::Dimension::Scalar;
}

bool isFieldName(const QString &name)
{
    if (name.isEmpty() || name.size() > 64 || !name.at(0).isLetter())
        return false;
    for (const auto ch : name) {
        if (!(ch.isLetterOrNumber() || ch == u'_' || ch == u'-'))
            return false;
    }
    return true;
}

std::optional<double> finite(const QJsonValue &v)
{
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return std::nullopt;
    return v.toDouble();
}

} // namespace

std::unique_ptr<Check> SignalCheck::create(config::MapReader &r, const config::CheckConfig &,
                                           const CheckRuntime &)
{
    QList<FieldSpec> fields;
    const auto node = r.value(QStringLiteral("fields"));
    if (!node.isDefined()) {
        r.errorAt(QStringLiteral("fields"),
                  QStringLiteral("%1 is missing required key 'fields'").arg(r.what()));
        return nullptr;
    }
    config::MapReader all(node, r.diagnostics(), QStringLiteral("fields of %1").arg(r.what()));
    if (!all.isMap())
        return nullptr;
    for (const auto &[key, body] : node.entries()) {
        const QString name = key.scalar();
        (void)all.value(name);
        if (!isFieldName(name) || name == u"latency") {
            r.diagnostics().error(key.position(),
                                  QStringLiteral("field name '%1' of %2 must start with a letter, "
                                                 "contain only letters, digits, '_' and '-', and "
                                                 "not be 'latency'")
                                      .arg(name, r.what()));
            continue;
        }
        FieldSpec spec{name, rules::Dimension::Scalar, false, false};
        if (body.isScalar()) {
            // Short form: `name: counter`.
            const auto kind = body.scalar();
            if (!kKinds.contains(kind)) {
                r.diagnostics().error(
                    body.position(),
                    QStringLiteral("field '%1' of %2 must be one of %3, found "
                                   "'%4'")
                        .arg(name, r.what(), kKinds.join(QStringLiteral(", ")), kind));
                continue;
            }
            spec.counter = kind != u"gauge";
            spec.distribution = kind == u"histogram";
            spec.dimension = spec.distribution ? rules::Dimension::Time : rules::Dimension::Scalar;
        } else {
            config::MapReader f(body, r.diagnostics(),
                                QStringLiteral("field '%1' of %2").arg(name, r.what()));
            const auto kind =
                f.choice(QStringLiteral("kind"), kKinds).value_or(QStringLiteral("gauge"));
            spec.counter = kind != u"gauge";
            spec.distribution = kind == u"histogram";
            spec.dimension =
                dimensionOf(f.choice(QStringLiteral("dimension"), kDimensions)
                                .value_or(spec.distribution ? QStringLiteral("duration")
                                                            : QStringLiteral("number")));
            f.finish();
        }
        fields.append(spec);
    }
    all.finish();
    if (fields.isEmpty() && all.isMap())
        r.errorAt(QStringLiteral("fields"), QStringLiteral("%1 declares no fields").arg(r.what()));
    return std::make_unique<SignalCheck>(fields);
}

SignalCheck::SignalCheck(QList<FieldSpec> fields)
    : m_fields(std::move(fields))
{}

void SignalCheck::probe(Done)
{
    // Never scheduled: passive() is true. Nothing to do if asked anyway.
}

QString SignalCheck::defaultField() const
{
    return m_fields.isEmpty() ? QStringLiteral("latency") : m_fields.first().name;
}

Result<Sample> SignalCheck::sampleFrom(const QJsonObject &signal, qint64 timeMs) const
{
    Sample s;
    s.timeMs = timeMs;
    s.ok = true;
    for (auto it = signal.begin(); it != signal.end(); ++it) {
        if (it.key() != u"ok" && it.key() != u"error" && it.key() != u"fields")
            return invalidSignal(
                QStringLiteral("unknown key '%1' (known: ok, error, fields)").arg(it.key()));
    }
    if (signal.contains(QLatin1String("ok"))) {
        if (!signal.value(QLatin1String("ok")).isBool())
            return invalidSignal(QStringLiteral("'ok' must be true or false"));
        s.ok = signal.value(QLatin1String("ok")).toBool();
    }
    if (signal.contains(QLatin1String("error"))) {
        if (!signal.value(QLatin1String("error")).isString())
            return invalidSignal(QStringLiteral("'error' must be a string"));
        s.error = signal.value(QLatin1String("error")).toString().left(500);
    }
    const auto fields = signal.value(QLatin1String("fields"));
    if (!fields.isUndefined() && !fields.isObject())
        return invalidSignal(QStringLiteral("'fields' must be an object of field name to value"));
    const auto object = fields.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const FieldSpec *spec = nullptr;
        for (const auto &f : m_fields) {
            if (f.name == it.key())
                spec = &f;
        }
        if (!spec) {
            QStringList names;
            for (const auto &f : m_fields)
                names.append(f.name);
            return invalidSignal(QStringLiteral("unknown field '%1' (fields: %2)")
                                     .arg(it.key(), names.join(QStringLiteral(", "))));
        }
        FieldValue v;
        v.name = spec->name;
        if (const auto number = finite(it.value())) {
            if (spec->counter)
                return invalidSignal(
                    QStringLiteral("'%1' is a %2: give {\"increment\": N, \"seconds\": S}")
                        .arg(spec->name, spec->distribution ? QStringLiteral("histogram")
                                                            : QStringLiteral("counter")));
            v.value = *number;
        } else if (it.value().isObject()) {
            const auto o = it.value().toObject();
            for (auto k = o.begin(); k != o.end(); ++k) {
                static const QStringList known{QStringLiteral("value"), QStringLiteral("increment"),
                                               QStringLiteral("seconds"),
                                               QStringLiteral("distribution")};
                if (!known.contains(k.key()))
                    return invalidSignal(
                        QStringLiteral("unknown key '%1' in field '%2'").arg(k.key(), spec->name));
            }
            const auto read = [&](const char *key, double &out, bool nonNegative) -> QString {
                const auto value = o.value(QLatin1String(key));
                if (value.isUndefined())
                    return {};
                const auto parsed = finite(value);
                if (!parsed || (nonNegative && *parsed < 0))
                    return QStringLiteral("'%1' of field '%2' must be a%3 number")
                        .arg(QLatin1String(key), spec->name,
                             nonNegative ? QStringLiteral(" non-negative") : QString());
                out = *parsed;
                return {};
            };
            for (const auto &error :
                 {read("value", v.value, false), read("increment", v.increment, true),
                  read("seconds", v.seconds, true)}) {
                if (!error.isEmpty())
                    return invalidSignal(error);
            }
            const auto distribution = o.value(QLatin1String("distribution"));
            if (!distribution.isUndefined()) {
                if (!spec->distribution)
                    return invalidSignal(
                        QStringLiteral("'%1' is not a histogram; it takes no distribution")
                            .arg(spec->name));
                if (!distribution.isArray())
                    return invalidSignal(
                        QStringLiteral("'distribution' of '%1' must be [[value, weight], …]")
                            .arg(spec->name));
                double observations = 0;
                double total = 0;
                for (const auto &pair : distribution.toArray()) {
                    const auto p = pair.toArray();
                    const double value = p.size() == 2 ? p.at(0).toDouble(NAN) : NAN;
                    const double weight = p.size() == 2 ? p.at(1).toDouble(NAN) : NAN;
                    if (!std::isfinite(value) || !std::isfinite(weight) || weight < 0)
                        return invalidSignal(
                            QStringLiteral("'distribution' of '%1' must be [[value, weight], …] "
                                           "with non-negative weights")
                                .arg(spec->name));
                    v.distribution.emplace_back(value, weight);
                    observations += weight;
                    total += value * weight;
                }
                if (!o.contains(QLatin1String("increment")))
                    v.increment = observations;
                if (!o.contains(QLatin1String("value")) && observations > 0)
                    v.value = total / observations;
            }
            if (spec->counter && !spec->distribution && !o.contains(QLatin1String("value")) &&
                v.seconds > 0)
                v.value = v.increment / v.seconds;
        } else {
            return invalidSignal(
                QStringLiteral("field '%1' must be a number or an object").arg(spec->name));
        }
        s.fields.append(v);
    }
    return s;
}

} // namespace rwd::monitor
