// Caller identity (README "Security"): with an authenticated request, the
// sync functions serve only the request's own user unless the role is
// trusted. The rules are core/identity_check.hpp; this reads the settings.
#pragma once

#include "backend/pg.hpp"

namespace gs::backend {

// genre_sync.enforce_caller_identity and genre_sync.trusted_roles; from
// _PG_init.
void register_identity_settings();

// Throws gs::Error 42501 when the request (request.jwt.claims, or the older
// request.jwt.claim.sub / .role) names another user than user_id (a uuid
// Datum) and the current role is neither a superuser nor trusted; 28000 for
// malformed claims. Without those settings the call is not a gateway's and
// passes: the role's privileges and RLS decide.
void require_caller_may_act_for(Datum user_id);

// Whether the request is authenticated as user_id itself (its "sub"),
// whatever genre_sync.enforce_caller_identity says: the row security a
// gateway's role meets is then written for this user.
bool request_is_user(Datum user_id);

}  // namespace gs::backend
