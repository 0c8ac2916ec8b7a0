-- Seeds the demo group that docker-compose.yml's `example` service registers with.
--
-- This file is ours (nestjs-snail-job), not SnailJob's. The init service copies it next to the
-- official schema (10-snail_job_mysql.sql, downloaded at start-up), and MySQL runs both once, in
-- name order, when its data volume is first created. The schema seeds only the `Default` namespace
-- and the admin user; it seeds no group.
--
-- The row is what the console's "Group Config -> Add" form saves with its defaults (status enabled,
-- snowflake ids, token SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj). Keep group name, namespace and token in
-- sync with the example service's SNAIL_GROUP_NAME, SNAIL_NAMESPACE and SNAIL_TOKEN.
-- Delete this file (then `docker compose down -v`) to create the group by hand in the console instead.
USE snail_job;

INSERT INTO sj_group_config (namespace_id, group_name, description, token, group_status, version,
                             group_partition, id_generator_mode, init_scene)
VALUES ('764d604ec6fc45f68cd92514c40e9e1a', 'snail_job_demo_group', 'nestjs-snail-job example app',
        'SJ_Wyz3dmsdbDOkDujOTSSoBjGQP1BMsVnj', 1, 1, 0, 2, 1);
