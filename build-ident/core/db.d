build-ident/core/db.o: core/db.c core/db.h core/config.h \
 /usr/include/mariadb/errmsg.h /usr/include/mariadb/mysql.h \
 /usr/include/mariadb/mariadb_com.h \
 /usr/include/mariadb/mariadb_version.h /usr/include/mariadb/ma_list.h \
 /usr/include/mariadb/mariadb_ctype.h /usr/include/mariadb/mariadb_stmt.h \
 /usr/include/mariadb/mysqld_error.h core/log.h
core/db.h:
core/config.h:
/usr/include/mariadb/errmsg.h:
/usr/include/mariadb/mysql.h:
/usr/include/mariadb/mariadb_com.h:
/usr/include/mariadb/mariadb_version.h:
/usr/include/mariadb/ma_list.h:
/usr/include/mariadb/mariadb_ctype.h:
/usr/include/mariadb/mariadb_stmt.h:
/usr/include/mariadb/mysqld_error.h:
core/log.h:
