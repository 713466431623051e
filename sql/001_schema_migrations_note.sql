-- 001: the migration runner creates schema_migrations itself; this first
-- migration sets database-wide defaults every later table relies on.
ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
