#pragma once

#include "ast.h"
#include "common/result.h"

#include <QString>

#include <variant>

namespace rwd::rules {

struct SyntaxError
{
    qsizetype offset = 0;
    QString message;
};

// Parses one rule expression. Never throws, never recurses without bound (nesting is limited),
// and reports the first syntax error with the offset it was found at.
[[nodiscard]] Result<NodePtr, SyntaxError> parseExpression(const QString &text);

} // namespace rwd::rules
