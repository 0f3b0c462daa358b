// Domain rename: everything runs on 127.0.0.1, so a rename cannot change the Host. After
// POST /_emu/domain, the first /rest/… call of each client (keyed by its auth token) answers 302
// with Location http://127.0.0.1:P/renamed/rest/<method>?<query>; /renamed/rest/… works normally
// and install payloads, frames and token responses report the new domain and client_endpoint.
#include "tests/emulators/bitrix24/server.h"

#include <cpprest/http_client.h>

#include <optional>
#include <thread>

#include "tests/emulators/bitrix24/control.h"
#include "tests/emulators/bitrix24/util.h"

namespace b24emu {

using emu::Send;
using web::http::http_request;

struct Server::Impl {
  State& st;
  emu::Listener listener;

  explicit Impl(State& s)
      : st(s), listener(s.opts.port, [this](http_request req, const std::string& body) {
          Dispatch(std::move(req), body);
        }) {}

  // Query string plus (for non-GET) a form or JSON body, merged into one params object. The
  // portal ignores a GET body, so required params sent that way are missing.
  static Json ParseParams(const std::string& method, const std::string& query,
                          const std::string& content_type, const std::string& body) {
    Json params = Json::object(true);
    ParseFormInto(params, query);
    if (method == "GET" || body.empty()) {
      return params;
    }
    if (content_type.find("json") != std::string::npos) {
      try {
        Json parsed = Json::parse(body);
        if (parsed.is_object()) {
          for (const auto& [k, v] : parsed.as_object()) {
            params[k] = v;
          }
        }
      } catch (const std::exception&) {
        // An unparsable JSON body leaves only the query params, as on the portal.
      }
    } else if (content_type.find("multipart") == std::string::npos) {
      ParseFormInto(params, body);
    }
    return params;
  }

  // A refresh token issued by another emulated portal goes to that portal's OAuth endpoint, as
  // the one real auth server would answer for every portal.
  std::optional<HttpOutcome> RelayToPeer(const http_request& req, const std::string& token) {
    std::vector<std::string> peers;
    {
      std::lock_guard<std::mutex> lock(st.mu);
      if (st.refresh_tokens.count(token) != 0) {
        return std::nullopt;
      }
      peers = st.oauth_peers;
    }
    for (const std::string& peer : peers) {
      try {
        web::http::client::http_client client(peer);
        web::http::http_request forward(web::http::methods::GET);
        forward.set_request_uri(req.relative_uri());
        forward.headers().add("X-Emu-Relayed", "1");
        web::http::http_response resp = client.request(forward).get();
        HttpOutcome out;
        out.status = resp.status_code();
        out.body = resp.extract_json(true).get();
        if (out.status == 200) {
          return out;
        }
      } catch (const std::exception&) {
        // A peer that is gone answers nothing; try the next.
      }
    }
    return std::nullopt;
  }

  void Dispatch(http_request req, const std::string& body) {
    std::string method = req.method();
    std::string path = web::uri::decode(req.relative_uri().path());
    std::string query = req.relative_uri().query();
    if (path.rfind("/_emu/", 0) == 0) {
      ControlRequest c{method, path, query, {}, body};
      for (const auto& [k, v] : req.headers()) {
        c.headers[k] = v;
      }
      if (path.rfind("/_emu/portal/", 0) == 0) {
        HandlePortalSide(st, c).then([req](pplx::task<HttpOutcome> t) {
          HttpOutcome out;
          try {
            out = t.get();
          } catch (const std::exception& e) {
            out.status = 500;
            out.body = Json::object(true);
            out.body["error"] = Json::string(e.what());
          }
          Send(req, out);
        });
        return;
      }
      Send(req, HandleControl(st, c));
      return;
    }
    Json params = ParseParams(method, query, req.headers().content_type(), body);
    if (path == "/oauth/token/" || path == "/oauth/token") {
      if (!req.headers().has("X-Emu-Relayed")) {
        std::optional<HttpOutcome> relayed = RelayToPeer(req, Str(params, "refresh_token"));
        if (relayed) {
          Send(req, *relayed);
          return;
        }
      }
      std::lock_guard<std::mutex> lock(st.mu);
      Send(req, HandleOAuthToken(st, method, path, params));
      return;
    }
    std::string rest_path = path.rfind("/renamed/rest/", 0) == 0 ? path.substr(8) : path;
    if (rest_path.rfind("/rest/upload/", 0) == 0 && method == "POST") {
      std::lock_guard<std::mutex> lock(st.mu);
      Send(req, HandleRecordUpload(st, rest_path.substr(13), req.headers().content_type(), body));
      return;
    }
    if (rest_path.rfind("/rest/", 0) == 0 && rest_path.size() > 6) {
      RestRequest r{method, path, ToLower(rest_path.substr(6)), query, params};
      if (r.rest_method.ends_with(".json")) {
        r.rest_method.resize(r.rest_method.size() - 5);
      }
      std::lock_guard<std::mutex> lock(st.mu);
      Send(req, HandleRest(st, r));
      return;
    }
    HttpOutcome out;
    out.status = 404;
    out.body = Json::object(true);
    out.body["error"] = Json::string("NOT_FOUND");
    out.body["error_description"] = Json::string("Unknown path " + path);
    Send(req, out);
  }
};

Server::Server(State& st) : impl_(std::make_unique<Impl>(st)) {}

Server::~Server() = default;

void Server::Open() {
  impl_->listener.Open();
}

void Server::Close() {
  impl_->listener.Close();
}

}  // namespace b24emu
