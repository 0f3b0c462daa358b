# The front end (settings-ui) is built by Vite into settings-ui/dist, which opdesk serves under
# /ui/ and as the shells of the call card and the settings pages (the app page). It is part of the
# default build when npm and the installed packages (`npm ci`, done by deploy/install-deps.sh) are present; without them the C++ build goes
# on alone and the call card answers with a page saying the interface is not built.
option(OPDESK_BUILD_UI "Build the front end (settings-ui) as part of the default build" ON)

set(OPDESK_UI_DIR ${CMAKE_CURRENT_SOURCE_DIR}/settings-ui)
find_program(OPDESK_NPM npm)

if(OPDESK_NPM AND EXISTS ${OPDESK_UI_DIR}/package.json)
  file(GLOB_RECURSE OPDESK_UI_SOURCES CONFIGURE_DEPENDS ${OPDESK_UI_DIR}/src/*.ts
       ${OPDESK_UI_DIR}/src/*.vue ${OPDESK_UI_DIR}/src/*.css ${OPDESK_UI_DIR}/build/*.ts)
  # The pages' HTML entries sit at the top of settings-ui (not recursive: dist/ has copies).
  file(GLOB OPDESK_UI_ENTRIES CONFIGURE_DEPENDS ${OPDESK_UI_DIR}/*.html)
  list(APPEND OPDESK_UI_SOURCES ${OPDESK_UI_ENTRIES})
  list(FILTER OPDESK_UI_SOURCES EXCLUDE REGEX "\\.test\\.ts$|/src/test/")
  # One HTML entry per page shell: the call card's and the settings pages' (the app page).
  set(OPDESK_UI_OUTPUT ${OPDESK_UI_DIR}/dist/callcard.html ${OPDESK_UI_DIR}/dist/settings.html)
  add_custom_command(
    OUTPUT ${OPDESK_UI_OUTPUT}
    COMMAND ${OPDESK_NPM} run build --silent
    WORKING_DIRECTORY ${OPDESK_UI_DIR}
    DEPENDS ${OPDESK_UI_SOURCES} ${OPDESK_UI_DIR}/package.json ${OPDESK_UI_DIR}/package-lock.json
            ${OPDESK_UI_DIR}/vite.config.ts ${OPDESK_UI_DIR}/tsconfig.json
    COMMENT "Building the front end (settings-ui → settings-ui/dist)"
    VERBATIM)
  set(opdesk_ui_in_all "")
  if(OPDESK_BUILD_UI AND EXISTS ${OPDESK_UI_DIR}/node_modules)
    set(opdesk_ui_in_all ALL)
  else()
    message(STATUS "front end: not in the default build (run `npm ci` in settings-ui, then "
                   "re-run cmake); `cmake --build … --target opdesk_ui` builds it")
  endif()
  add_custom_target(opdesk_ui ${opdesk_ui_in_all} DEPENDS ${OPDESK_UI_OUTPUT})
else()
  message(STATUS "front end: npm not found, settings-ui is not built")
endif()
