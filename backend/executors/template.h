#pragma once

#include "config/placeholders.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace rwd::executors {

// How a variable's value is written into the text around it.
enum class Escape
{
    None,         // as is: one argv argument, a header value, a JSON string built as a tree
    UrlComponent, // percent-encoded, for URLs: a value can never add a path segment or a query
    JsonString,   // inside a JSON string literal written in the template: quotes and
                  // backslashes escaped, so a value cannot end the string
};

// Text with {{name}} placeholders (config/placeholders.h), as executors' argv, URLs and bodies
// are written in configuration: rendering substitutes each placeholder with the value of that
// variable, escaped for where it goes, inside the same argument or string.
class Template
{
public:
    Template() = default;

    // Parses `text`. Fails on an unclosed "{{" or a name that is not a known variable
    // (knownVariables(), or meta.NAME for a release's metadata).
    [[nodiscard]] static Result<Template> parse(const QString &text);

    // The text with every placeholder replaced. A variable missing from `vars` is an error (its
    // name is appended to `missing`, and it renders as nothing).
    [[nodiscard]] QString render(const QJsonObject &vars, Escape escape,
                                 QStringList *missing) const;

    [[nodiscard]] const QString &text() const { return m_text.text(); }
    [[nodiscard]] bool isEmpty() const { return m_text.text().isEmpty(); }
    [[nodiscard]] QStringList variables() const { return m_text.variables(); }

private:
    config::Placeholders m_text;
};

// Variables Rewind sets for executor steps (docs/configuration.md, "Template variables").
[[nodiscard]] const QStringList &knownVariables();

// Replaces every occurrence of the given secret values in text with "[redacted]", so that
// captured output and messages never carry a token or a password.
class Redactor
{
public:
    void add(const QString &secret);
    [[nodiscard]] QString apply(QString text) const;
    [[nodiscard]] bool isEmpty() const { return m_secrets.isEmpty(); }

private:
    QStringList m_secrets;
};

} // namespace rwd::executors
