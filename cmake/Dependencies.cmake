# Third-party dependencies, all from Debian packages (deploy/install-deps.sh installs them).
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(cpprestsdk CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)

# cpprestsdk's Debian config forgets OpenSSL although its headers inline OpenSSL calls.
add_library(opdesk_cpprest INTERFACE)
target_link_libraries(opdesk_cpprest INTERFACE cpprestsdk::cpprest OpenSSL::SSL OpenSSL::Crypto)
# cpprestsdk defines a macro U(x) that breaks fmt 9 (spdlog) templates; we never use it.
target_compile_definitions(opdesk_cpprest INTERFACE _TURN_OFF_PLATFORM_STRING)

# SOCI 4.0.3 ships neither a CMake config nor a pkg-config file.
find_path(SOCI_INCLUDE_DIR soci/soci.h REQUIRED)
find_library(SOCI_CORE_LIB soci_core REQUIRED)
find_library(SOCI_MYSQL_LIB soci_mysql REQUIRED)
find_library(SOCI_SQLITE3_LIB soci_sqlite3 REQUIRED)
add_library(soci_core INTERFACE)
target_include_directories(soci_core SYSTEM INTERFACE ${SOCI_INCLUDE_DIR})
target_link_libraries(soci_core INTERFACE ${SOCI_CORE_LIB} ${CMAKE_DL_LIBS})
add_library(soci_mysql INTERFACE)
target_link_libraries(soci_mysql INTERFACE ${SOCI_MYSQL_LIB} soci_core PkgConfig::MARIADB)
add_library(soci_sqlite3 INTERFACE)
target_link_libraries(soci_sqlite3 INTERFACE ${SOCI_SQLITE3_LIB} soci_core PkgConfig::SQLITE3)

if(OPDESK_JEMALLOC)
  find_library(JEMALLOC_LIB jemalloc REQUIRED)
endif()

if(OPDESK_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
