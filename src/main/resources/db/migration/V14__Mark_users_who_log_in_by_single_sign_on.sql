-- The OpenID Connect subject ("sub") of a user who logs in by single sign-on; NULL for local users.
-- Such a user has no password_hash: the identity provider vouches for them.
ALTER TABLE users ADD COLUMN external_subject TEXT UNIQUE;
