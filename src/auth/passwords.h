#pragma once

#include <QString>

namespace rwd::auth {

// Passwords are stored as "pbkdf2-sha256$ITERATIONS$SALT$KEY" (salt and key base64): PBKDF2 with
// HMAC-SHA-256 (QPasswordDigestor), a random 16-byte salt per password, a 32-byte key.
[[nodiscard]] QString hashPassword(const QString &password, int iterations);
// Whether `password` matches `stored`; compares in constant time. False for a malformed hash.
[[nodiscard]] bool verifyPassword(const QString &password, const QString &stored);

// API and session tokens: "rwd_" and 43 characters of base64url (32 random bytes). Only their
// SHA-256 is stored; the token itself is shown once.
[[nodiscard]] QString newToken();
[[nodiscard]] QString hashToken(const QString &token);

// Constant-time comparison of two byte strings.
[[nodiscard]] bool sameBytes(const QByteArray &a, const QByteArray &b);

} // namespace rwd::auth
