%% An S13 client on Erlang/OTP's diameter application, as an independent peer for OpenCEIR's EIR:
%% CER/CEA, ECRs for the IMEIs given, DWR/DWA (a 6 s watchdog timer), then DPR/DPA.
%%
%%   erl -noshell -pa <dir> -s s13_client main <port> <imei>[:<svn>[:<imsi>]] ... -s init stop
%%
%% Prints one line per answer: "ECA <imei> result=<Result-Code> experimental=<code> status=<Equipment-Status>",
%% then "WATCHDOG ok" and "DPR ok" (or an "ERROR ..." line).
-module(s13_client).

-export([main/1]).
-export([peer_up/3, peer_down/3, pick_peer/4, prepare_request/3, prepare_retransmit/3,
         handle_answer/4, handle_error/4, handle_request/3]).


-define(SVC, s13_client_service).

main([Port | Imeis]) ->
    {ok, _} = application:ensure_all_started(diameter),
    ok = diameter:start_service(?SVC, [
        {'Origin-Host', "mme.erlang.epc.mnc001.mcc001.3gppnetwork.org"},
        {'Origin-Realm', "epc.mnc001.mcc001.3gppnetwork.org"},
        {'Host-IP-Address', [{127,0,0,1}]},
        {'Vendor-Id', 0},
        {'Product-Name', "OTP diameter S13 test client"},
        {'Supported-Vendor-Id', [10415]},
        {'Auth-Application-Id', [16777252]},
        {decode_format, map},
        {application, [{alias, s13}, {dictionary, diameter_3gpp_s13}, {module, ?MODULE}]}]),
    true = diameter:subscribe(?SVC),
    {ok, Ref} = diameter:add_transport(?SVC, {connect, [
        {transport_module, diameter_tcp},
        {transport_config, [{raddr, {127,0,0,1}}, {rport, list_to_integer(atom_to_list(Port))}]},
        {watchdog_timer, 6000}]}),
    receive
        {diameter_event, ?SVC, {up, _, _, _, _}} -> ok;
        {diameter_event, ?SVC, {up, _, _, _}} -> ok
    after 5000 -> io:format("ERROR no capabilities exchange~n"), halt(1)
    end,
    [ecr(atom_to_list(I)) || I <- Imeis],
    %% With the shortest watchdog timer RFC 3539 allows (6 s), a DWR goes out while we wait: the peer must answer it.
    timer:sleep(8000),
    case diameter:service_info(?SVC, connections) of
        [_ | _] -> io:format("WATCHDOG ok~n");
        _ -> io:format("ERROR connection lost during watchdog~n")
    end,
    ok = diameter:remove_transport(?SVC, Ref),
    receive
        {diameter_event, ?SVC, {down, _, _, _}} -> io:format("DPR ok~n");
        {diameter_event, ?SVC, {down, _, _, _, _}} -> io:format("DPR ok~n")
    after 5000 -> io:format("ERROR no disconnect~n")
    end,
    diameter:stop_service(?SVC),
    ok.

ecr(Spec) ->
    {Imei, Svn, Imsi} = case string:split(Spec, ":", all) of
        [I] -> {I, undefined, undefined};
        [I, S] -> {I, S, undefined};
        [I, S, U] -> {I, S, U}
    end,
    Terminal = [{'IMEI', [Imei]}] ++ [{'Software-Version', [Svn]} || Svn =/= undefined, Svn =/= ""],
    Request = ['ECR', {'Session-Id', diameter:session_id("mme.erlang")},
                      {'Auth-Session-State', 1},
                      {'Origin-Host', "mme.erlang.epc.mnc001.mcc001.3gppnetwork.org"},
                      {'Origin-Realm', "epc.mnc001.mcc001.3gppnetwork.org"},
                      {'Destination-Realm', "openceir.localdomain"},
                      {'Terminal-Information', Terminal}]
              ++ [{'User-Name', [Imsi]} || Imsi =/= undefined],
    %% Requests in list form; answers decoded as maps (decode_format map).
    case diameter:call(?SVC, s13, Request, []) of
        ['ECA' | Answer] -> print(Imei, Answer);
        Other -> io:format("ERROR ~s ~p~n", [Imei, Other])
    end.

print(Imei, Answer) ->
    Result = first(maps:get('Result-Code', Answer, [])),
    Experimental = case first(maps:get('Experimental-Result', Answer, [])) of
        none -> none;
        #{'Experimental-Result-Code' := Code} -> Code;
        Exp when is_list(Exp) -> proplists:get_value('Experimental-Result-Code', Exp, none);
        Exp -> element(3, Exp)
    end,
    Status = first(maps:get('Equipment-Status', Answer, [])),
    io:format("ECA ~s result=~p experimental=~p status=~p~n", [Imei, Result, Experimental, Status]).

first([]) -> none;
first([X | _]) -> X;
first(X) -> X.

peer_up(_Svc, _Peer, State) -> State.
peer_down(_Svc, _Peer, State) -> State.
pick_peer([Peer | _], _, _Svc, _State) -> {ok, Peer}.
prepare_request(Packet, _Svc, _Peer) -> {send, Packet}.
prepare_retransmit(Packet, _Svc, _Peer) -> {send, Packet}.
%% #diameter_packet{msg = Msg}: the record is {diameter_packet, Header, Avps, Msg, ...} (no header files needed).
handle_answer(Packet, _Request, _Svc, _Peer) -> element(4, Packet).
handle_error(Reason, _Request, _Svc, _Peer) -> {error, Reason}.
handle_request(_Packet, _Svc, _Peer) -> discard.
