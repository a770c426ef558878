#pragma once

#include "common/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace rwd::config {

// Text with {{name}} placeholders, the syntax of every template in the configuration (an
// executor's argv, URL and body; a notification's message). Parsed once into literal and
// variable parts; what a name may be, and how a value is written in, is up to the user
// (executors/template.h, notify/messagetemplate.h). A value is only ever substituted into its
// place: never split, re-parsed or run.
class Placeholders
{
public:
    // How a parse failure is worded: whether it quotes the whole text ("… in \"{{x}}/y\""), and
    // what to add after the known names in the list of them (e.g. ", meta.NAME").
    struct Wording
    {
        bool quoteText = false;
        QString moreKnown;
    };

    Placeholders() = default;

    // Parses `text`; a name is accepted when `known(name)` says so. Fails on an unclosed "{{" or
    // an unknown name (suggesting the closest of `vocabulary`).
    [[nodiscard]] static Result<Placeholders>
    parse(const QString &text, const std::function<bool(const QString &)> &known,
          const QStringList &vocabulary, const Wording &wording);

    // The text with every placeholder replaced by `valueOf(name)`.
    [[nodiscard]] QString render(const std::function<QString(const QString &name)> &valueOf) const;

    [[nodiscard]] const QString &text() const { return m_text; }
    // Every name used, once each, in order of first use.
    [[nodiscard]] QStringList variables() const;

private:
    struct Part
    {
        bool variable = false;
        QString text; // literal text, or the variable's name
    };
    QString m_text;
    QList<Part> m_parts;
};

} // namespace rwd::config
