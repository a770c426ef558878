#pragma once

#include "common/error.h"

#include <type_traits>
#include <utility>
#include <variant>

namespace rwd {

// The one way a function that can fail says so: a value, or the reason it has none (an `Error`
// unless the function has a richer reason, such as the rule parser's positions). Shaped after
// C++23's std::expected, which GCC 12 does not ship: construct it from either side implicitly
// (`return plan;`, `return Error{...};`), test it with `if (!result)`, read it with `*result`,
// `result->` or `result.error()`. Reading the side that is not there throws
// std::bad_variant_access, as std::get does.
template<typename T, typename E = Error>
class [[nodiscard]] Result
{
    static_assert(!std::is_same_v<T, E>, "a value and its error need different types");

public:
    template<typename U = T, std::enable_if_t<std::is_constructible_v<T, U &&> &&
                                                  !std::is_same_v<std::remove_cvref_t<U>, Result> &&
                                                  !std::is_same_v<std::remove_cvref_t<U>, E>,
                                              int> = 0>
    Result(U &&value) // NOLINT(google-explicit-constructor): a value is a successful result
        : m_state(std::in_place_index<0>, std::forward<U>(value))
    {}
    Result(const E &error) // NOLINT(google-explicit-constructor)
        : m_state(std::in_place_index<1>, error)
    {}
    Result(E &&error) // NOLINT(google-explicit-constructor)
        : m_state(std::in_place_index<1>, std::move(error))
    {}

    [[nodiscard]] bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    [[nodiscard]] T &value() & { return std::get<0>(m_state); }
    [[nodiscard]] const T &value() const & { return std::get<0>(m_state); }
    [[nodiscard]] T &&value() && { return std::get<0>(std::move(m_state)); }
    [[nodiscard]] T &operator*() & { return value(); }
    [[nodiscard]] const T &operator*() const & { return value(); }
    [[nodiscard]] T &&operator*() && { return std::move(*this).value(); }
    [[nodiscard]] T *operator->() { return &value(); }
    [[nodiscard]] const T *operator->() const { return &value(); }

    template<typename U>
    [[nodiscard]] T valueOr(U &&fallback) const &
    {
        return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

    [[nodiscard]] const E &error() const & { return std::get<1>(m_state); }
    [[nodiscard]] E &&error() && { return std::get<1>(std::move(m_state)); }

private:
    std::variant<T, E> m_state;
};

// An action that either happened or did not, and why not.
template<typename E>
class [[nodiscard]] Result<void, E>
{
public:
    Result() = default;
    Result(const E &error) // NOLINT(google-explicit-constructor)
        : m_error(error)
        , m_failed(true)
    {}
    Result(E &&error) // NOLINT(google-explicit-constructor)
        : m_error(std::move(error))
        , m_failed(true)
    {}

    [[nodiscard]] bool ok() const noexcept { return !m_failed; }
    explicit operator bool() const noexcept { return ok(); }

    [[nodiscard]] const E &error() const & { return m_error; }
    [[nodiscard]] E &&error() && { return std::move(m_error); }

private:
    E m_error{};
    bool m_failed = false;
};

// A failure told to a person only (a config check, a file that could not be written): no code,
// because no program branches on it.
[[nodiscard]] inline Error failure(QString message)
{
    return Error{QString(), std::move(message)};
}

} // namespace rwd
