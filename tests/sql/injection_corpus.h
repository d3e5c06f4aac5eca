// Shared SQL injection corpora for tests: payload families (tautologies, UNION, stacked,
// time-based, boolean-blind, error-based, encoded, comment truncation) for string and numeric
// contexts, vulnerable query templates ("{}" marks where the payload goes), and ordinary
// application queries (Sakila, sysbench, ORM-generated, driver/session) that must stay clean.
// Used by tests/sql/injection_corpus_test.cc and tests/gatekeeper/injection_policy_test.cc.
#pragma once

#include <string>
#include <string_view>

namespace gh::sql::corpus {

// Payloads that break out of a quoted string literal.
inline constexpr const char* kStringPayloads[] = {
    "' OR '1'='1",
    "' OR '1'='1' -- ",
    "' OR 1=1 -- ",
    "' OR 1=1#",
    "' OR 1=1/*",
    "' OR 'a'='a",
    "' OR ''='",
    "') OR ('1'='1",
    "')) OR (('1'='1",
    "' OR 2>1 -- ",
    "' OR true -- ",
    "' OR 1 -- ",
    "' || '1'='1",
    "' || 1 -- ",
    "admin'#",
    "admin' -- ",
    "admin'/*",
    "admin' OR 1=1 LIMIT 1 #",
    "' OR 1=1 LIMIT 1 #",
    "' OR title=title -- ",
    "' OR 'x' LIKE 'x",
    "%' OR '1'='1",
    "' UNION SELECT NULL,version()-- ",
    "' UNION SELECT NULL,NULL,NULL-- ",
    "' UNION ALL SELECT 1,2,3-- ",
    "' UNION SELECT @@version,2-- ",
    "' UNION SELECT user(),database()-- ",
    "' UNION SELECT table_name,2 FROM information_schema.tables-- ",
    "' UNION SELECT user,authentication_string FROM mysql.user-- ",
    "' UNION SELECT username,password FROM users-- ",
    "' AND 1=0 UNION ALL SELECT NULL,NULL-- ",
    "'/**/UNION/**/SELECT/**/NULL,version()-- ",
    "' /*!50000UNION*/ /*!50000SELECT*/ 1,2-- ",
    "' UnIoN SeLeCt NuLl,@@VERSION#",
    "'; DROP TABLE film; --",
    "'; DELETE FROM customer; -- ",
    "'; INSERT INTO staff (username) VALUES ('x'); -- ",
    "'; UPDATE staff SET password = 'x'; #",
    "'; SELECT SLEEP(5); -- ",
    "' AND SLEEP(5)-- ",
    "' OR SLEEP(5)='",
    "' AND BENCHMARK(5000000,MD5('a'))-- ",
    "' AND (SELECT * FROM (SELECT SLEEP(5))a)-- ",
    "' AND IF(1=1,SLEEP(5),0)-- ",
    "' WAITFOR DELAY '0:0:5'-- ",
    "' AND GET_LOCK('x',10)-- ",
    "' AND SUBSTRING(version(),1,1)='5",
    "' AND MID(user(),1,1)='r",
    "' AND ASCII(SUBSTRING(database(),1,1))>64 AND 'a'='a",
    "' AND database()='sakila",
    "' AND (SELECT COUNT(*) FROM information_schema.tables)>0 AND ''='",
    "' AND extractvalue(1,concat(0x7e,version()))-- ",
    "' AND updatexml(1,concat(0x7e,(SELECT user())),1)-- ",
    "' AND (SELECT 1 FROM (SELECT COUNT(*),CONCAT(version(),FLOOR(RAND(0)*2))x FROM "
    "information_schema.tables GROUP BY x)a)-- ",
    "' AND exp(~(SELECT * FROM (SELECT user())a))-- ",
    "' OR username=0x61646d696e-- ",
    "' OR username=CHAR(97,100,109,105,110)-- ",
    "' AND LOAD_FILE('/etc/passwd')-- ",
    "' INTO OUTFILE '/tmp/x'-- ",
    "x' AND 1=(SELECT COUNT(*) FROM mysql.user)-- ",
    "' OR EXISTS(SELECT * FROM users)-- ",
    "1' ORDER BY 1-- ",
    "1' ORDER BY 3#",
    "' GROUP BY 1 HAVING 1=1-- ",
    "' AND 1=1-- ",
    "' AND 'a'='a",
    "' AND sys_exec('id')-- ",
    "' OR 1 IN (1)-- ",
    "' AND ORD(MID((SELECT IFNULL(CAST(username AS NCHAR),0x20) FROM users LIMIT 0,1),1,1))>64 AND "
    "''='",
};

// Payloads for an unquoted numeric context.
inline constexpr const char* kNumericPayloads[] = {
    "1 OR 1=1",
    "1 OR 1=1-- ",
    "1 OR 1=1#",
    "-1 OR 2>1",
    "1 OR true",
    "1 || 1",
    "1 OR film_id=film_id",
    "1) OR (1=1",
    "1 OR 'a'='a'",
    "-1 UNION SELECT 1,2,3",
    "-1 UNION SELECT NULL,version()",
    "1 UNION ALL SELECT table_name,2 FROM information_schema.tables",
    "1 AND 1=(SELECT COUNT(*) FROM information_schema.tables)",
    "1 AND (SELECT 1 FROM mysql.user LIMIT 1)=1",
    "1 AND SLEEP(5)",
    "1 AND BENCHMARK(1000000,SHA1(1))",
    "1 AND GET_LOCK('a',5)",
    "1; DROP TABLE film",
    "1; SELECT pg_sleep(5)",
    "1 AND extractvalue(1,concat(0x7e,version()))",
    "1 AND updatexml(1,concat(0x7e,user()),1)",
    "CHAR(97,100,109,105,110)",
    "0x61646d696e",
    "1 AND SUBSTRING(version(),1,1)=5",
    "1 AND ASCII(SUBSTRING(user(),1,1))>100",
    "1 ORDER BY 10-- ",
    "1 PROCEDURE ANALYSE(extractvalue(1,concat(0x7e,version())),1)",
    "(SELECT LOAD_FILE('/etc/passwd'))",
    "1 AND 1=1",
    "1/**/OR/**/1=1",
};

inline constexpr const char* kStringTemplates[] = {
    "SELECT * FROM film WHERE title = '{}'",
    "SELECT film_id, title FROM film WHERE title = '{}' AND rating = 'PG'",
    "SELECT * FROM film WHERE title LIKE '%{}%'",
    "SELECT customer_id FROM customer WHERE email = '{}' LIMIT 1",
    "SELECT * FROM staff WHERE username = '{}' AND password = 'secret'",
    "UPDATE customer SET first_name = '{}' WHERE customer_id = 1",
};

inline constexpr const char* kNumericTemplates[] = {
    "SELECT * FROM film WHERE film_id = {}",
    "SELECT title FROM film WHERE film_id = {} LIMIT 1",
    "SELECT * FROM rental WHERE customer_id = {} ORDER BY rental_date DESC",
    "DELETE FROM payment WHERE payment_id = {}",
};

inline std::string fill(std::string_view tpl, std::string_view payload) {
  std::string out(tpl);
  out.replace(out.find("{}"), 2, payload);
  return out;
}

// Ordinary application queries: none of these may be flagged.
inline constexpr const char* kBenignQueries[] = {
    // Sakila-style reads.
    "SELECT * FROM film WHERE film_id = 7",
    "SELECT title, description, release_year FROM film WHERE rating = 'PG-13' ORDER BY title LIMIT "
    "20",
    "SELECT f.title, c.name FROM film f JOIN film_category fc ON fc.film_id = f.film_id JOIN "
    "category c ON c.category_id = fc.category_id WHERE c.name = 'Action'",
    "SELECT a.first_name, a.last_name, COUNT(*) AS films FROM actor a JOIN film_actor fa USING "
    "(actor_id) GROUP BY a.actor_id ORDER BY films DESC LIMIT 10",
    "SELECT cu.customer_id AS ID, CONCAT(cu.first_name, _utf8mb4' ', cu.last_name) AS name, "
    "a.address AS address, a.postal_code AS `zip code`, a.phone AS phone, city.city AS city, "
    "country.country AS country, IF(cu.active, _utf8mb4'active', _utf8mb4'') AS notes, cu.store_id "
    "AS SID FROM customer AS cu JOIN address AS a ON cu.address_id = a.address_id JOIN city ON "
    "a.city_id = city.city_id JOIN country ON city.country_id = country.country_id",
    "SELECT film.film_id AS FID, film.title AS title, film.description AS description, "
    "category.name AS category, film.rental_rate AS price, film.length AS length, film.rating AS "
    "rating, GROUP_CONCAT(CONCAT(actor.first_name, _utf8mb4' ', actor.last_name) SEPARATOR ', ') "
    "AS actors FROM film LEFT JOIN film_category ON film_category.film_id = film.film_id LEFT JOIN "
    "category ON category.category_id = film_category.category_id LEFT JOIN film_actor ON "
    "film.film_id = film_actor.film_id LEFT JOIN actor ON film_actor.actor_id = actor.actor_id "
    "GROUP BY film.film_id, category.name",
    "SELECT CONCAT(c.city, _utf8mb4',', cy.country) AS store, CONCAT(m.first_name, _utf8mb4' ', "
    "m.last_name) AS manager, SUM(p.amount) AS total_sales FROM payment AS p INNER JOIN rental AS "
    "r ON p.rental_id = r.rental_id INNER JOIN inventory AS i ON r.inventory_id = i.inventory_id "
    "INNER JOIN store AS s ON i.store_id = s.store_id INNER JOIN address AS a ON s.address_id = "
    "a.address_id INNER JOIN city AS c ON a.city_id = c.city_id INNER JOIN country AS cy ON "
    "c.country_id = cy.country_id INNER JOIN staff AS m ON s.manager_staff_id = m.staff_id GROUP "
    "BY s.store_id ORDER BY cy.country, c.city",
    "SELECT c.name AS category, SUM(p.amount) AS total_sales FROM payment AS p INNER JOIN rental "
    "AS r ON p.rental_id = r.rental_id INNER JOIN inventory AS i ON r.inventory_id = "
    "i.inventory_id INNER JOIN film AS f ON i.film_id = f.film_id INNER JOIN film_category AS fc "
    "ON f.film_id = fc.film_id INNER JOIN category AS c ON fc.category_id = c.category_id GROUP BY "
    "c.name ORDER BY total_sales DESC",
    "SELECT inventory_id FROM inventory WHERE film_id = 1 AND store_id = 1 AND "
    "inventory_in_stock(inventory_id)",
    "SELECT COUNT(rental_id) FROM inventory LEFT JOIN rental USING(inventory_id) WHERE "
    "inventory.inventory_id = 10 AND rental.return_date IS NULL",
    "SELECT customer_id FROM rental WHERE return_date IS NULL AND inventory_id = 42",
    "SELECT * FROM customer WHERE last_name LIKE 'SM%' ORDER BY last_name, first_name",
    "SELECT * FROM film WHERE title LIKE '%ACADEMY%'",
    "SELECT * FROM film WHERE description LIKE '%Drama%' AND length BETWEEN 60 AND 120",
    "SELECT rating, COUNT(*) FROM film GROUP BY rating HAVING COUNT(*) > 100",
    "SELECT film_id, title FROM film WHERE rental_rate IN (0.99, 2.99) AND rating IN ('G', 'PG')",
    "SELECT * FROM payment WHERE payment_date >= '2005-05-01' AND payment_date < '2005-06-01'",
    "SELECT DATE_FORMAT(payment_date, '%Y-%m') AS month, SUM(amount) FROM payment GROUP BY month "
    "ORDER BY month",
    "SELECT c.first_name, c.last_name, SUM(p.amount) total FROM customer c JOIN payment p ON "
    "p.customer_id = c.customer_id GROUP BY c.customer_id HAVING total > 150",
    "SELECT f.title FROM film f WHERE NOT EXISTS (SELECT 1 FROM inventory i WHERE i.film_id = "
    "f.film_id)",
    "SELECT title FROM film WHERE film_id IN (SELECT film_id FROM film_actor WHERE actor_id = 1)",
    "SELECT a.actor_id, a.first_name FROM actor a WHERE a.last_name = 'O''BRIEN'",
    "SELECT * FROM actor WHERE last_name = 'D\\'ANGELO'",
    "SELECT * FROM address WHERE address2 IS NULL OR address2 = ''",
    "SELECT * FROM customer WHERE active = 1 OR store_id = 2",
    "SELECT city, country FROM city JOIN country USING (country_id) WHERE country = 'Canada' ORDER "
    "BY city",
    "SELECT staff_id, COUNT(*) FROM payment GROUP BY staff_id WITH ROLLUP",
    "SELECT title, length, RANK() OVER (PARTITION BY rating ORDER BY length DESC) AS r FROM film",
    "SELECT customer_id, amount, SUM(amount) OVER (PARTITION BY customer_id ORDER BY payment_date "
    "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM payment",
    "WITH top AS (SELECT customer_id, SUM(amount) s FROM payment GROUP BY customer_id ORDER BY s "
    "DESC LIMIT 5) SELECT c.* FROM customer c JOIN top USING (customer_id)",
    "WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10) SELECT n "
    "FROM seq",
    "SELECT first_name FROM actor UNION SELECT first_name FROM customer",
    "SELECT 'actor' AS kind, first_name FROM actor UNION ALL SELECT 'staff', first_name FROM staff",
    "(SELECT title FROM film ORDER BY length DESC LIMIT 1) UNION (SELECT title FROM film ORDER BY "
    "length LIMIT 1)",
    "SELECT * FROM film_text WHERE MATCH (title, description) AGAINST ('dinosaur' IN NATURAL "
    "LANGUAGE MODE)",
    "SELECT IFNULL(return_date, NOW()) - rental_date FROM rental WHERE rental_id = 3",
    "SELECT DATEDIFF(return_date, rental_date) AS days FROM rental WHERE customer_id = 5",
    "SELECT CASE WHEN length > 120 THEN 'long' WHEN length > 60 THEN 'medium' ELSE 'short' END AS "
    "bucket, COUNT(*) FROM film GROUP BY bucket",
    "SELECT ROUND(AVG(rental_rate), 2), MIN(length), MAX(length) FROM film",
    "SELECT last_update FROM actor ORDER BY last_update DESC LIMIT 1",
    "SELECT SQL_CALC_FOUND_ROWS film_id, title FROM film WHERE rating = 'R' LIMIT 10",
    "SELECT FOUND_ROWS()",
    "SELECT get_customer_balance(1, NOW())",
    "CALL film_in_stock(1, 1, @count)",
    "SELECT @count",
    "SELECT COUNT(DISTINCT customer_id) FROM rental WHERE rental_date > NOW() - INTERVAL 30 DAY",
    "SELECT ST_AsText(location) FROM address WHERE address_id = 1",
    "SELECT HEX(picture) FROM staff WHERE staff_id = 1",
    "SELECT JSON_OBJECT('id', film_id, 'title', title) FROM film LIMIT 5",
    "SELECT JSON_EXTRACT(attrs, '$.color') FROM products WHERE JSON_CONTAINS(tags, '\"sale\"')",
    "SELECT doc->>'$.name' AS name FROM docs WHERE doc->'$.age' > 30",
    // Sakila-style writes.
    "INSERT INTO actor (first_name, last_name) VALUES ('JOHN', 'DOE')",
    "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) VALUES (NOW(), 10, 5, "
    "1)",
    "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES (5, 1, "
    "LAST_INSERT_ID(), 2.99, NOW())",
    "UPDATE rental SET return_date = NOW() WHERE rental_id = 17",
    "UPDATE customer SET email = 'new.address@example.com', last_update = NOW() WHERE customer_id "
    "= 12",
    "UPDATE film SET rental_rate = rental_rate * 1.1 WHERE rating = 'PG' AND rental_rate < 4",
    "DELETE FROM film_actor WHERE actor_id = 1 AND film_id = 2",
    "DELETE FROM payment WHERE payment_date < '2005-01-01' LIMIT 1000",
    "INSERT INTO film_text (film_id, title, description) SELECT film_id, title, description FROM "
    "film WHERE film_id > 1000",
    "REPLACE INTO settings (name, value) VALUES ('theme', 'dark')",
    "INSERT INTO counters (name, n) VALUES ('visits', 1) ON DUPLICATE KEY UPDATE n = n + VALUES(n)",
    "INSERT INTO notes (body) VALUES ('remember: use -- for comments and # for hashes; OR 1=1 is a "
    "joke')",
    "INSERT INTO notes (body) VALUES ('it''s a \"quoted\" text with /* slashes */')",
    "INSERT INTO images (id, data) VALUES (1, 0x89504E470D0A1A0A0000000D49484452)",
    "INSERT INTO sessions (id, user_id) VALUES "
    "(UNHEX(REPLACE('3f2504e0-4f89-11d3-9a0c-0305e82c3301', '-', '')), 7)",
    "UPDATE users SET password_hash = '$2y$10$abcdefghijklmnopqrstuv' WHERE id = 3",
    // sysbench oltp.
    "SELECT c FROM sbtest1 WHERE id=?",
    "SELECT c FROM sbtest1 WHERE id=5021",
    "SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ?",
    "SELECT c FROM sbtest3 WHERE id BETWEEN 4921 AND 5020",
    "SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ? AND ?",
    "SELECT SUM(k) FROM sbtest2 WHERE id BETWEEN 100 AND 199",
    "SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c",
    "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c",
    "SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN 5 AND 104 ORDER BY c",
    "UPDATE sbtest1 SET k=k+1 WHERE id=?",
    "UPDATE sbtest1 SET k=k+1 WHERE id=4999",
    "UPDATE sbtest1 SET c=? WHERE id=?",
    "UPDATE sbtest1 SET "
    "c='83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-"
    "93426793964-56405065102-33518432330' WHERE id=50",
    "DELETE FROM sbtest1 WHERE id=?",
    "DELETE FROM sbtest1 WHERE id=5020",
    "INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)",
    "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5020, 4993, '68487932199-96439406143', "
    "'22195207048-70116052123-74140395089-76317954521-98694025897')",
    "BEGIN",
    "COMMIT",
    // ORM-generated (Laravel / Eloquent).
    "select * from `users` where `email` = 'john@example.com' limit 1",
    "select * from `users` where `users`.`id` = 1 limit 1",
    "select count(*) as aggregate from `posts` where `published` = 1 and `posts`.`deleted_at` is "
    "null",
    "select * from `posts` where `user_id` in (1, 2, 3) and `posts`.`deleted_at` is null order by "
    "`created_at` desc",
    "select * from `orders` where `status` = 'open' and 0 = 1",
    "select * from `orders` where `status` = 'open' and 1 = 1",
    "select * from `tags` where 1 = 1 and `name` like '%php%'",
    "insert into `users` (`name`, `email`, `updated_at`, `created_at`) values ('Jane', "
    "'jane@example.com', '2024-01-01 10:00:00', '2024-01-01 10:00:00')",
    "update `users` set `remember_token` = 'aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW', "
    "`users`.`updated_at` = '2024-01-01 10:00:00' where `id` = 1",
    "delete from `sessions` where `last_activity` <= 1700000000",
    "select exists(select * from `users` where `email` = 'a@b.c') as `exists`",
    "select `posts`.*, (select count(*) from `comments` where `posts`.`id` = `comments`.`post_id`) "
    "as `comments_count` from `posts`",
    // Django.
    "SELECT `auth_user`.`id`, `auth_user`.`password`, `auth_user`.`last_login`, "
    "`auth_user`.`username` FROM `auth_user` WHERE `auth_user`.`username` = 'admin' LIMIT 21",
    "SELECT `django_session`.`session_key`, `django_session`.`session_data` FROM `django_session` "
    "WHERE (`django_session`.`expire_date` > '2024-05-01 12:00:00.000000' AND "
    "`django_session`.`session_key` = 'k3j4h5g6f7d8s9a0') LIMIT 21",
    "SELECT COUNT(*) AS `__count` FROM `blog_entry` WHERE `blog_entry`.`pub_date` BETWEEN "
    "'2024-01-01' AND '2024-12-31'",
    "SELECT `blog_entry`.`id` FROM `blog_entry` WHERE (`blog_entry`.`headline` LIKE BINARY "
    "'%Lennon%' OR `blog_entry`.`body_text` LIKE BINARY '%Lennon%')",
    "UPDATE `auth_user` SET `last_login` = '2024-05-01 12:00:00.000000' WHERE `auth_user`.`id` = 1",
    "INSERT INTO `django_admin_log` (`action_time`, `user_id`, `content_type_id`, `object_id`, "
    "`object_repr`, `action_flag`, `change_message`) VALUES ('2024-05-01 12:00:00', 1, 7, '3', "
    "'Entry object (3)', 2, '[{\"changed\": {\"fields\": [\"Headline\"]}}]')",
    // Rails / ActiveRecord.
    "SELECT `users`.* FROM `users` WHERE `users`.`id` = 1 LIMIT 1",
    "SELECT `articles`.* FROM `articles` WHERE `articles`.`author_id` IN (1, 2, 3) ORDER BY "
    "`articles`.`published_at` DESC",
    "SELECT 1 AS one FROM `users` WHERE `users`.`email` = BINARY 'bob@example.com' LIMIT 1",
    "SELECT COUNT(*) FROM `comments` WHERE `comments`.`article_id` = 4 AND (created_at > "
    "'2024-01-01')",
    "INSERT INTO `schema_migrations` (`version`) VALUES ('20240101000000')",
    "SELECT `schema_migrations`.`version` FROM `schema_migrations` ORDER BY "
    "`schema_migrations`.`version` ASC",
    "SELECT GET_LOCK('5348572384765_migration', 0)",
    "SELECT RELEASE_LOCK('5348572384765_migration')",
    // Hibernate / JPA.
    "select user0_.id as id1_0_, user0_.email as email2_0_, user0_.name as name3_0_ from users "
    "user0_ where user0_.email=?",
    "select order0_.id as id1_1_0_, items1_.id as id1_2_1_ from orders order0_ left outer join "
    "order_items items1_ on order0_.id=items1_.order_id where order0_.customer_id=? and "
    "order0_.status=?",
    "insert into audit_log (created_at, event, user_id, id) values (?, ?, ?, ?)",
    "update account set balance=?, version=? where id=? and version=?",
    "select next_val as id_val from hibernate_sequence for update",
    "update hibernate_sequence set next_val= ? where next_val=?",
    // Drivers, pools and sessions.
    "/* mysql-connector-java-8.0.33 (Revision: 7d6b0800528b6b25c68b52dc10d6c1c8429c100c) */SELECT "
    "@@session.auto_increment_increment AS auto_increment_increment, @@character_set_client AS "
    "character_set_client, @@character_set_connection AS character_set_connection, "
    "@@character_set_results AS character_set_results, @@collation_server AS collation_server, "
    "@@init_connect AS init_connect, @@interactive_timeout AS interactive_timeout, @@license AS "
    "license, @@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS "
    "max_allowed_packet, @@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, "
    "@@time_zone AS time_zone, @@transaction_isolation AS transaction_isolation, @@wait_timeout AS "
    "wait_timeout",
    "SET NAMES utf8mb4",
    "SET NAMES utf8mb4 COLLATE utf8mb4_unicode_ci",
    "SET autocommit=0",
    "SET autocommit=1",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
    "SET sql_mode='STRICT_TRANS_TABLES,NO_ZERO_DATE'",
    "SET time_zone = '+00:00'",
    "SET @rank := 0",
    "SELECT @rank := @rank + 1 AS rank, title FROM film ORDER BY length DESC LIMIT 10",
    "SELECT 1",
    "SELECT 1 FROM DUAL",
    "SELECT VERSION()",
    "SELECT DATABASE()",
    "SELECT USER(), CURRENT_USER()",
    "SELECT @@version, @@version_comment",
    "SELECT @@tx_isolation",
    "SELECT CONNECTION_ID()",
    "SELECT LAST_INSERT_ID()",
    "SELECT NOW(), UTC_TIMESTAMP(), UNIX_TIMESTAMP()",
    "SHOW TABLES",
    "SHOW COLUMNS FROM film",
    "SHOW VARIABLES LIKE 'max_connections'",
    "SHOW WARNINGS",
    "SHOW FULL PROCESSLIST",
    "SHOW CREATE TABLE film",
    "DESCRIBE film",
    "EXPLAIN SELECT * FROM film WHERE film_id = 1",
    "USE sakila",
    "START TRANSACTION",
    "START TRANSACTION READ ONLY",
    "ROLLBACK",
    "SAVEPOINT sp1",
    "ROLLBACK TO SAVEPOINT sp1",
    "RELEASE SAVEPOINT sp1",
    "SELECT * FROM film WHERE film_id = 1 FOR UPDATE",
    "SELECT * FROM inventory WHERE film_id = 2 LOCK IN SHARE MODE",
    "SELECT * FROM jobs WHERE status = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
    "SELECT a.*, b.name FROM jobs a JOIN queues b ON b.id = a.queue_id WHERE a.available_at <= "
    "1700000000 AND a.reserved_at IS NULL",
    // Application SQL with comments, unusual literals and functions.
    "SELECT id, name FROM products WHERE category_id = 3 -- list products",
    "SELECT id FROM products /* controller:catalog action:index */ WHERE visible = 1",
    "/* request_id=8f14e45f */ SELECT * FROM carts WHERE session_id = 'abc123'",
    "SELECT * FROM users WHERE id = 5 /* gatehouse:strategy=random */",
    "SELECT * FROM users WHERE id = 5 -- gatehouse:strategy=direct",
    "SELECT id FROM events WHERE name = 'launch -- party' AND venue = 'Hall #2'",
    "SELECT * FROM messages WHERE body LIKE '%union select%'",
    "SELECT * FROM messages WHERE subject = 'OR 1=1'",
    "SELECT REPLACE(REPLACE(notes, CHAR(13), ''), CHAR(10), ' ') FROM tickets WHERE id = 9",
    "SELECT CONCAT(first_name, CHAR(32), last_name) FROM employees",
    "SELECT * FROM devices WHERE mac = UNHEX(?)",
    "SELECT * FROM devices WHERE uuid = UNHEX(REPLACE(?, '-', ''))",
    "SELECT * FROM files WHERE sha1 = 0xA94A8FE5CCB19BA61C4C0873D391E987982FBBD3",
    "SELECT * FROM flags WHERE mask & 0x0F = 0x01",
    "SELECT * FROM audit WHERE actor = CURRENT_USER() ORDER BY created_at DESC",
    "SELECT table_name FROM app_tables WHERE schema_name = DATABASE()",
    "SELECT name FROM settings WHERE name IN ('a', 'b', 'c') OR name IS NULL",
    "SELECT * FROM t1 CROSS JOIN t2 ON 1=1",
    "SELECT * FROM products WHERE price > 10 AND price < 100 OR featured = 1",
    "SELECT * FROM reports WHERE year = 2024 AND (quarter = 1 OR quarter = 2)",
    "SELECT * FROM accounts WHERE balance <> 0 AND NOT closed",
    "SELECT * FROM users WHERE NOT (role = 'admin' OR role = 'owner')",
    "SELECT COALESCE(nickname, first_name, 'anonymous') FROM members",
    "SELECT id FROM posts WHERE title REGEXP '^[A-Z]' AND body NOT LIKE '%spam%'",
    "SELECT LPAD(id, 8, '0'), UPPER(code), TRIM(BOTH ' ' FROM label) FROM items",
    "SELECT CAST(price AS DECIMAL(10,2)), CONVERT(name USING utf8mb4) FROM items",
    "SELECT MD5(CONCAT(id, 'salt')), SHA2(email, 256) FROM users",
    "SELECT GREATEST(a, b), LEAST(a, b), ABS(a - b) FROM pairs",
    "SELECT DATE(created_at) d, COUNT(*) FROM orders WHERE created_at >= CURDATE() - INTERVAL 7 "
    "DAY GROUP BY d",
    "SELECT id FROM orders WHERE total > (SELECT AVG(total) FROM orders)",
    "SELECT o.id FROM orders o WHERE o.customer_id = ANY (SELECT id FROM customers WHERE vip = 1)",
    "SELECT * FROM tree t1 JOIN tree t2 ON t2.parent_id = t1.id WHERE t1.id = 1",
    "SELECT * FROM items ORDER BY FIELD(status, 'new', 'open', 'closed')",
    "SELECT * FROM items WHERE FIND_IN_SET('red', colors) > 0",
    "SELECT id, ROW_NUMBER() OVER w FROM items WINDOW w AS (ORDER BY id)",
    "INSERT INTO logs (level, message) VALUES ('warn', 'retrying in 5s; attempt #2'), ('info', "
    "'ok')",
    "INSERT INTO kv (k, v) VALUES ('a', '1'), ('b', '2'), ('c', '3') ON DUPLICATE KEY UPDATE v = "
    "VALUES(v)",
    "UPDATE accounts SET balance = balance - 100 WHERE id = 1 AND balance >= 100",
    "UPDATE items SET stock = GREATEST(stock - 1, 0) WHERE id = 99",
    "DELETE FROM carts WHERE updated_at < NOW() - INTERVAL 1 DAY",
    "DELETE t1 FROM t1 JOIN t2 ON t1.id = t2.id WHERE t2.expired = 1",
    "CREATE TEMPORARY TABLE tmp_ids (id INT PRIMARY KEY)",
    "DROP TEMPORARY TABLE IF EXISTS tmp_ids",
    "LOCK TABLES film READ",
    "UNLOCK TABLES",
    "SELECT * FROM orders WHERE note = ''",
    "SELECT * FROM orders WHERE ref = \"A-1\" AND note <> \"\"",
    "SELECT * FROM `order` WHERE `desc` = 'x' AND `select` = 1",
    "SELECT * FROM t WHERE a = 'O\\'Reilly' AND b = 'c:\\\\temp\\\\'",
    "SELECT id FROM docs WHERE MATCH(body) AGAINST('+mysql -oracle' IN BOOLEAN MODE)",
    "SELECT * FROM t WHERE created BETWEEN '2024-01-01 00:00:00' AND '2024-01-31 23:59:59' ORDER "
    "BY created LIMIT 50 OFFSET 100",
    "SELECT COUNT(*) FROM visits WHERE ip = INET_ATON('10.0.0.1')",
    "SELECT * FROM visits WHERE path LIKE '/admin/%' ESCAPE '!'",
    "SELECT SUBSTRING(name, 1, 3), LEFT(code, 2), MID(sku, 2, 4) FROM products WHERE "
    "SUBSTRING(sku, 1, 2) = 'AB'",
    "SELECT * FROM products WHERE LENGTH(name) > 3 AND ASCII(name) > 64",
    "SELECT IF(stock > 0, 'in', 'out') FROM products WHERE id = 4",
    "SELECT * FROM t WHERE x = -1 OR y = -2",
    "SELECT * FROM scores WHERE score >= 0.5e2",
};

}  // namespace gh::sql::corpus
