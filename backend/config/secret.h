#pragma once

#include "common/result.h"

#include <QString>

namespace rwd::config {

// A secret named in configuration (a database password, a token). Configuration never needs the
// value inline: `env:NAME` reads an environment variable and `file:PATH` a file (a trailing
// newline is dropped; relative paths are against the configuration's directory); anything else
// is the value itself. The value is read on demand, each time, so a rotated secret is picked up
// without a reload, and loading a configuration never depends on secrets being present.
//
// Nothing here ever puts the value into a message: `redacted()` and every error name only the
// reference (`env:DB_PASSWORD`, `file:/run/secrets/db`).
class Secret
{
public:
    enum class Source
    {
        Literal,     // the text itself
        Environment, // an environment variable
        File,        // the content of a file
    };

    Secret() = default;

    // Parses `text` as written in configuration, without reading anything. Fails when a
    // reference is malformed (`env:` without a valid name, `file:` without a path).
    [[nodiscard]] static Result<Secret> parse(const QString &text, const QString &baseDirectory);

    [[nodiscard]] Source source() const { return m_source; }
    [[nodiscard]] bool isEmpty() const { return m_source == Source::Literal && m_text.isEmpty(); }

    // The value now. Fails when the variable is not set or the file cannot be read.
    [[nodiscard]] Result<QString> resolve() const;

    // What the secret refers to, safe for logs and messages: `env:NAME`, `file:PATH`, or
    // `an inline value` for a literal.
    [[nodiscard]] QString redacted() const;

private:
    Source m_source = Source::Literal;
    QString m_text; // the variable's name, the absolute file path, or the literal value
};

} // namespace rwd::config
