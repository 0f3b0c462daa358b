opdesk_test_executable(unit_core_tests unit
  SOURCES error_test.cpp router_test.cpp message_test.cpp redact_test.cpp metrics_test.cpp
          backoff_test.cpp log_escape_test.cpp
  LIBS opdesk_http opdesk_jobs)

opdesk_test_executable(unit_bitrix24_tests unit
  SOURCES rate_limiter_test.cpp bitrix24_rest_errors_test.cpp url_policy_test.cpp
  LIBS opdesk_adapters)

opdesk_test_executable(unit_call_tracker_tests unit
  SOURCES call_tracker_test.cpp call_tracker_clients_test.cpp LIBS opdesk_domain)

opdesk_test_executable(unit_domain_tests unit
  SOURCES time_zone_test.cpp integration_settings_test.cpp employee_directory_test.cpp
  LIBS opdesk_domain)

opdesk_test_executable(unit_mango_tests unit
  SOURCES mango_envelope_test.cpp mango_event_parser_test.cpp mango_call_codec_test.cpp
          mango_settings_codec_test.cpp mango_user_directory_test.cpp
  LIBS opdesk_mango_webhooks)

opdesk_test_executable(unit_ui_serving_tests unit
  SOURCES static_files_test.cpp callcard_shell_test.cpp
  LIBS opdesk_http opdesk_webhooks opdesk_app opdesk_cpprest)

opdesk_test_executable(unit_bitrix24_webhook_tests unit
  SOURCES bitrix24_portal_post_test.cpp LIBS opdesk_webhooks)
